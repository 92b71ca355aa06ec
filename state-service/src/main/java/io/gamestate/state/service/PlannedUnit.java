package io.gamestate.state.service;

import com.google.protobuf.CodedOutputStream;
import io.gamestate.proto.state.v1.RmwUnit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A validated unit and the fingerprint that tells a true retry from a reused request id. */
public record PlannedUnit(RmwUnit unit, long fingerprint) {

    public static PlannedUnit of(RmwUnit unit) {
        try {
            // Deterministic: map fields (spawn attributes) in key order, so a retry re-serialized elsewhere matches.
            RmwUnit rule = unit.toBuilder().clearRequestId().build();
            byte[] body = new byte[rule.getSerializedSize()];
            CodedOutputStream out = CodedOutputStream.newInstance(body);
            out.useDeterministicSerialization();
            rule.writeTo(out);
            out.checkNoSpaceLeft();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new PlannedUnit(unit, ByteBuffer.wrap(digest).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } catch (IOException e) {
            throw new UncheckedIOException("serializing into an array of its exact size cannot fail", e);
        }
    }

    public String requestId() {
        return unit.getRequestId();
    }
}

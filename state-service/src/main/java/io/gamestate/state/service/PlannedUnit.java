package io.gamestate.state.service;

import com.google.protobuf.CodedOutputStream;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.state.rules.AccessPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A validated unit, what it will touch, and the fingerprint that tells a true retry from a reused
 * request id.
 */
public record PlannedUnit(RmwUnit unit, long fingerprint, AccessPlan plan) {

    public static PlannedUnit of(RmwUnit unit, AccessPlan plan) {
        return new PlannedUnit(unit, fingerprint(unit), plan);
    }

    /** A digest of the unit without its request id. */
    static long fingerprint(RmwUnit unit) {
        try {
            // Deterministic: map fields (spawn attributes) in key order, so a retry re-serialized elsewhere matches.
            RmwUnit rule = unit.toBuilder().clearRequestId().build();
            byte[] body = new byte[rule.getSerializedSize()];
            CodedOutputStream out = CodedOutputStream.newInstance(body);
            out.useDeterministicSerialization();
            rule.writeTo(out);
            out.checkNoSpaceLeft();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return ByteBuffer.wrap(digest).getLong();
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

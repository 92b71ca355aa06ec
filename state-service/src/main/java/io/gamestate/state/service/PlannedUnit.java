package io.gamestate.state.service;

import io.gamestate.proto.state.v1.RmwUnit;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A validated unit and the fingerprint that tells a true retry from a reused request id. */
public record PlannedUnit(RmwUnit unit, long fingerprint) {

    public static PlannedUnit of(RmwUnit unit) {
        try {
            byte[] body = unit.toBuilder().clearRequestId().build().toByteArray();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new PlannedUnit(unit, ByteBuffer.wrap(digest).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public String requestId() {
        return unit.getRequestId();
    }
}

package io.gamestate.query.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gRPC statuses queries fail with; every message names the field or the limit at fault. */
public final class Statuses {

    private Statuses() {
    }

    public static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    public static StatusRuntimeException notFound(String message) {
        return Status.NOT_FOUND.withDescription(message).asRuntimeException();
    }

    public static StatusRuntimeException outOfRange(String message) {
        return Status.OUT_OF_RANGE.withDescription(message).asRuntimeException();
    }

    public static StatusRuntimeException tooMuch(String message) {
        return Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException();
    }
}

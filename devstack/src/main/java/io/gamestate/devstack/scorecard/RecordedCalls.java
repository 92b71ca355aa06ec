package io.gamestate.devstack.scorecard;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.StateService;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** gRPC calls that record their latency and answers into a window: a failure is an answer, not an end of the load. */
final class RecordedCalls {

    private RecordedCalls() {
    }

    /** A call carrying one operation; its status code is the answer. */
    static Uni<Integer> single(Supplier<Uni<?>> call, WindowRecorder recorder) {
        return single(System.nanoTime(), call, recorder);
    }

    /** A call of an open loop, timed from when it was due ({@link io.gamestate.devstack.StateLoad#atRate}). */
    static Uni<Integer> single(long t0, Supplier<Uni<?>> call, WindowRecorder recorder) {
        return call.get().onItemOrFailure().invoke((result, failure) -> {
            recorder.call(t0, 1);
            if (failure != null) {
                recorder.error(t0, Status.fromThrowable(failure).getCode().name());
            }
        }).map(result -> 1).onFailure().recoverWithItem(1);
    }

    /** An ApplyBatch call: each unit answers with its own code. */
    static Uni<Integer> batch(StateService state, ApplyBatchRequest batch, WindowRecorder recorder) {
        int units = batch.getUnitsCount();
        long t0 = System.nanoTime();
        return state.applyBatch(batch).onItemOrFailure().invoke((response, failure) -> {
            recorder.call(t0, units);
            if (failure != null) {
                String code = Status.fromThrowable(failure).getCode().name();
                for (int i = 0; i < units; i++) {
                    recorder.error(t0, code);
                }
                return;
            }
            for (RmwResult unit : response.getResultsList()) {
                if (unit.getCode() != 0) {
                    recorder.error(t0, Status.fromCodeValue(unit.getCode()).getCode().name());
                }
            }
        }).map(response -> units).onFailure().recoverWithItem(units);
    }
}

package io.gamestate.state.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

final class RuleAssertions {

    private RuleAssertions() {
    }

    static void refused(ThrowingCallable unit, Status.Code code, String messagePart) {
        assertThatThrownBy(unit).isInstanceOfSatisfying(RuleViolation.class, v -> {
            assertThat(v.code()).isEqualTo(code);
            assertThat(v.getMessage()).contains(messagePart);
        });
    }
}

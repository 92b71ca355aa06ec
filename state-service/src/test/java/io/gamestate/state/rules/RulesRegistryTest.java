package io.gamestate.state.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamestate.proto.state.v1.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry refuses to start with a rule of the contract unhandled, or handled twice. */
class RulesRegistryTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void everyRuleOfTheContractHasOneHandler() {
        assertThatThrownBy(() -> new Rules(List.of(new DespawnRule(), new TransferItemRule())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no RuleHandler");
        assertThatThrownBy(() -> new Rules(List.of(new DespawnRule(), new DespawnRule())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two handlers");
    }

    @Test
    void aUnitWithoutARuleIsInvalid() {
        assertThatThrownBy(() -> world.apply(u -> { }))
                .isInstanceOfSatisfying(RuleViolation.class, v -> assertThat(v.getMessage()).contains("has no rule"));
        assertThat(world.rules.rule(io.gamestate.proto.state.v1.RmwUnit.getDefaultInstance())).isEqualTo(Rule.RULE_UNSPECIFIED);
    }
}

package io.gamestate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlDialectTest {

    @Test
    void inListsArePaddedToAPowerOfTwoWithTheLastValue() {
        assertThat(SqlDialect.inList(List.of())).isEmpty();
        assertThat(SqlDialect.inList(List.of(7L))).containsExactly(7L);
        assertThat(SqlDialect.inList(List.of(1L, 2L))).containsExactly(1L, 2L);
        assertThat(SqlDialect.inList(List.of(1L, 2L, 3L))).containsExactly(1L, 2L, 3L, 3L);
        assertThat(SqlDialect.inList(List.of("a", "b", "c", "d", "e"))).containsExactly("a", "b", "c", "d", "e", "e", "e", "e");
    }

    @Test
    void rowsOfAnInsert() {
        assertThat(SqlDialect.rows(2, 3)).isEqualTo("(?, ?), (?, ?), (?, ?)");
    }
}

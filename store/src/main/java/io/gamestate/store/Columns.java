package io.gamestate.store;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The columns of the world tables, in the order every service selects and maps them: one list,
 * so a column added by a migration is added to every reader at once.
 */
public final class Columns {

    public static final List<String> ENTITY = List.of("id", "kind", "owner_id", "parent_id", "first_child",
            "next_sibling", "prev_sibling", "x", "y", "cell_id", "morton", "hp", "max_hp", "gold", "amount", "item_type",
            "dead", "attributes", "version");
    public static final List<String> CELL = List.of("id", "superblock_id", "parent_id", "first_child", "next_sibling",
            "depth", "partition_type", "min_x", "min_y", "max_x", "max_y", "num_entities", "request_queue", "version");

    private Columns() {
    }

    /** "id, kind, ..." */
    public static String list(List<String> columns) {
        return String.join(", ", columns);
    }

    /** "e.id, e.kind, ..." for a table aliased {@code alias}. */
    public static String list(List<String> columns, String alias) {
        return columns.stream().map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }
}

package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * What a unit will touch, known from the unit alone, before any row is read: the entity ids it
 * names (whose hierarchy roots get locked), the world points it places an entity at (whose leaf
 * cells get locked), how many fresh ids it may take, and which tree rows it needs.
 *
 * @param named ids the unit names ("0 = none" ids left out)
 * @param heldByNamedPlayers named ids the rule requires to be held by a player the unit also
 *        names (trade items, a harvest's container): their roots are those players, so their
 *        owners are never locked or chased; the rule refuses them when anyone else holds them
 * @param targets points the unit places an entity at
 * @param newIds most fresh ids the unit takes (new entity, new stack, new effect)
 * @param changesTree whether the rule relinks LCRS trees, and so needs the named rows' neighbours
 * @param subtreeRoots named nodes whose whole subtree the unit may move or delete
 * @param stack the stack a harvest may fill, or null
 */
public record AccessPlan(Rule rule, List<Long> named, List<Long> heldByNamedPlayers, List<Position> targets, int newIds,
                         boolean changesTree, List<Long> subtreeRoots, StackFill stack) {

    /** A harvest's stack: the item type of {@code nodeId}, directly under {@code holderId}. */
    public record StackFill(long holderId, long nodeId) {
    }

    /** Named ids whose hierarchy root the unit must lock. */
    public List<Long> rootedIds() {
        List<Long> ids = new ArrayList<>(named);
        ids.removeAll(heldByNamedPlayers);
        return ids;
    }

    /**
     * Whether the unit reads and writes no row but those it names and their cells: no tree row
     * around them, no subtree, no stack. When the named rows are roots, such a unit's locks can
     * all be taken before anything is read.
     */
    public boolean touchesOnlyNamedRows() {
        return !changesTree && subtreeRoots.isEmpty() && stack == null && heldByNamedPlayers.isEmpty();
    }

    public static Builder of(Rule rule) {
        return new Builder(rule);
    }

    /** Builds a plan; what a rule does not say is empty, zero or false. */
    public static final class Builder {
        private final Rule rule;
        private final List<Long> named = new ArrayList<>();
        private List<Long> heldByNamedPlayers = List.of();
        private List<Position> targets = List.of();
        private int newIds;
        private boolean changesTree;
        private List<Long> subtreeRoots = List.of();
        private StackFill stack;

        private Builder(Rule rule) {
            this.rule = rule;
        }

        public Builder named(long... ids) {
            for (long id : ids) {
                if (id != 0) {
                    named.add(id);
                }
            }
            return this;
        }

        public Builder named(List<Long> ids) {
            ids.forEach(this::named);
            return this;
        }

        public Builder heldByNamedPlayers(List<Long> ids) {
            this.heldByNamedPlayers = List.copyOf(ids);
            return this;
        }

        public Builder target(Position p) {
            this.targets = List.of(p);
            return this;
        }

        public Builder newIds(int n) {
            this.newIds = n;
            return this;
        }

        public Builder changesTree() {
            this.changesTree = true;
            return this;
        }

        public Builder subtreeRoots(List<Long> ids) {
            this.subtreeRoots = List.copyOf(ids);
            return this;
        }

        public Builder fillsStack(long holderId, long nodeId) {
            this.stack = new StackFill(holderId, nodeId);
            return this;
        }

        public AccessPlan build() {
            return new AccessPlan(rule, List.copyOf(named), heldByNamedPlayers, targets, newIds, changesTree, subtreeRoots, stack);
        }
    }
}

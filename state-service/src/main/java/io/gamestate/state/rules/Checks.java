package io.gamestate.state.rules;

import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.Kinds;

/**
 * The checks rules share: on a unit's input, before any read (INVALID_ARGUMENT), and on the rows
 * of a working set (NOT_FOUND, FAILED_PRECONDITION).
 */
public final class Checks {

    private Checks() {
    }

    // ---- input --------------------------------------------------------------------------------

    public static void positive(long v, String field) {
        if (v <= 0) {
            throw RuleViolation.invalid(field + " must be positive, got " + v);
        }
    }

    public static void notNegative(long v, String field) {
        if (v < 0) {
            throw RuleViolation.invalid(field + " must not be negative, got " + v);
        }
    }

    /** Within [0, max]: a world limit. */
    public static void within(long v, long max, String field) {
        notNegative(v, field);
        if (v > max) {
            throw RuleViolation.invalid(field + " is " + v + ", above the world limit of " + max);
        }
    }

    /** Text both store families keep as sent: PostgreSQL refuses NUL in text (SQLSTATE 22021). */
    public static void storable(String text, String field) {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw RuleViolation.invalid(field + " contains a NUL character (0x00) at position " + nul);
        }
    }

    public static void inWorld(WorldGeometry geometry, Position p, String field) {
        if (!Double.isFinite(p.getX()) || !Double.isFinite(p.getY())) {
            throw RuleViolation.invalid(field + " is not a finite number: (" + p.getX() + ", " + p.getY() + ")");
        }
        if (!geometry.contains(p.getX(), p.getY())) {
            throw RuleViolation.invalid(field + " (" + p.getX() + ", " + p.getY() + ") is outside the world [0, "
                    + geometry.width() + ") x [0, " + geometry.height() + ")");
        }
    }

    // ---- rows ---------------------------------------------------------------------------------

    public static EntityRecord requireLivingCreature(WorkingSet ws, long id, String role) {
        EntityRecord e = ws.require(id, role);
        if (!Kinds.isCreature(e.entityKind())) {
            throw RuleViolation.precondition(role + " " + id + " is " + e.entityKind() + ": only players and npcs can do this");
        }
        if (e.isDead()) {
            throw RuleViolation.precondition(role + " " + id + " is dead");
        }
        return e;
    }

    public static void requireCanHold(EntityRecord holder, EntityKind kind) {
        if (!Kinds.canHold(holder.entityKind(), kind)) {
            throw RuleViolation.precondition(holder.entityKind() + " " + holder.id + " cannot hold " + kind);
        }
    }

    /** value + delta, refused when it would pass the world limit (or overflow, on rows written before the limit). */
    public static long withinLimit(long value, long delta, long limit, String what) {
        long sum;
        try {
            sum = Math.addExact(value, delta);
        } catch (ArithmeticException overflow) {
            sum = Long.MAX_VALUE;
        }
        if (sum > limit) {
            throw RuleViolation.precondition(what + " would reach " + (sum == Long.MAX_VALUE ? "beyond " + Long.MAX_VALUE : sum)
                    + ", above the world limit of " + limit);
        }
        return sum;
    }
}

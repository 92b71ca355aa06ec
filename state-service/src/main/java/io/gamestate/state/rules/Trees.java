package io.gamestate.state.rules;

import io.gamestate.common.world.WorldGeometry;
import io.gamestate.state.model.EntityRecord;
import java.util.List;

/** What several rules do to placed roots and held trees. */
final class Trees {

    private Trees() {
    }

    /** Puts a root at (x, y): position, leaf cell and Morton key. */
    static void place(WorkingSet ws, WorldGeometry geometry, EntityRecord e, double x, double y) {
        e.x = x;
        e.y = y;
        e.cellId = ws.leafAt(x, y).id;
        e.morton = geometry.morton(x, y);
    }

    /** Unlink plus link; a move to another owner re-owns the whole subtree. */
    static void reparent(WorkingSet ws, long nodeId, long newParentId) {
        long newOwner = ws.find(newParentId).ownerId;
        List<EntityRecord> subtree = ws.descendants(nodeId);
        ws.unlink(nodeId);
        ws.link(nodeId, newParentId);
        if (ws.find(nodeId).ownerId != newOwner) {
            ws.modify(nodeId).ownerId = newOwner;
            for (EntityRecord d : subtree) {
                ws.modify(d.id).ownerId = newOwner;
            }
        }
    }
}

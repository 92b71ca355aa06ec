package io.gamestate.state.repository;

import io.gamestate.proto.state.v1.Cell;
import io.gamestate.state.model.CellAggregateRecord;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.ProtoMapping;
import io.gamestate.state.model.TerrainRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/** Non-hot reads through Hibernate Reactive: one entity, one cell with its layers' figures. */
@ApplicationScoped
public class LookupRepository {

    private final Mutiny.SessionFactory sessions;

    public LookupRepository(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<EntityRecord> entity(long id) {
        return sessions.withSession(s -> s.find(EntityRecord.class, id));
    }

    /** The cell with its aggregates and terrain, or null when there is no such cell. */
    public Uni<Cell> cell(long id) {
        return sessions.withSession(s -> s.find(CellRecord.class, id).chain(cell -> {
            if (cell == null) {
                return Uni.createFrom().nullItem();
            }
            return s.createSelectionQuery("from CellAggregateRecord where cellId = :id order by layer, kind",
                            CellAggregateRecord.class)
                    .setParameter("id", id)
                    .getResultList()
                    .chain(aggregates -> s.find(TerrainRecord.class, id)
                            .map(terrain -> ProtoMapping.cell(cell, aggregates, terrain)));
        }));
    }
}

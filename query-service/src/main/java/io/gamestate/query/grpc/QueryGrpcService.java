package io.gamestate.query.grpc;

import io.gamestate.proto.query.v1.Aggregates;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.CellRef;
import io.gamestate.proto.query.v1.EntityList;
import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.PartitionTreeResponse;
import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.query.v1.RegionLayersResponse;
import io.gamestate.proto.query.v1.RegionLayersQuery;
import io.gamestate.proto.query.v1.SubtreePage;
import io.gamestate.proto.query.v1.SubtreeQuery;
import io.gamestate.proto.query.v1.SuperblockRef;
import io.gamestate.proto.query.v1.WatchRequest;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.query.service.CellQueries;
import io.gamestate.query.service.ChangeWatch;
import io.gamestate.query.service.EntityQueries;
import io.gamestate.query.service.HierarchyQueries;
import io.gamestate.store.StoreUnreachable;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * gRPC face of the query service: argument checks and store failures become status codes
 * (UNAVAILABLE while the store is out of reach: ask again; INTERNAL only for a bug).
 */
@GrpcService
public class QueryGrpcService implements QueryService {

    private static final Logger LOG = Logger.getLogger(QueryGrpcService.class);

    private final EntityQueries entities;
    private final CellQueries cells;
    private final HierarchyQueries hierarchies;
    private final ChangeWatch watch;

    public QueryGrpcService(EntityQueries entities, CellQueries cells, HierarchyQueries hierarchies, ChangeWatch watch) {
        this.entities = entities;
        this.cells = cells;
        this.hierarchies = hierarchies;
        this.watch = watch;
    }

    @Override
    public Uni<EntityList> entitiesInBox(BoxQuery request) {
        return respond(() -> entities.inBox(request));
    }

    @Override
    public Uni<EntityList> entitiesInRadius(RadiusQuery request) {
        return respond(() -> entities.inRadius(request));
    }

    @Override
    public Uni<EntityList> nearestEntities(NearestQuery request) {
        return respond(() -> entities.nearest(request));
    }

    @Override
    public Uni<RegionLayersResponse> regionLayers(RegionLayersQuery request) {
        return respond(() -> cells.regionLayers(request));
    }

    @Override
    public Uni<Aggregates> cellAggregates(CellRef request) {
        return respond(() -> cells.cellAggregates(request.getCellId()));
    }

    @Override
    public Uni<Aggregates> superblockAggregates(SuperblockRef request) {
        return respond(() -> cells.superblockAggregates(request.getSuperblockId()));
    }

    @Override
    public Uni<PartitionTreeResponse> partitionTree(SuperblockRef request) {
        return respond(() -> cells.partitionTree(request.getSuperblockId()));
    }

    @Override
    public Uni<Cell> leafAt(Position request) {
        return respond(() -> cells.leafAt(request));
    }

    @Override
    public Uni<SubtreePage> subtree(SubtreeQuery request) {
        return respond(() -> hierarchies.subtree(request));
    }

    @Override
    public Multi<ChangeEvent> watchRegion(WatchRequest request) {
        return Multi.createFrom().deferred(() -> watch.watch(request))
                .onFailure().transform(QueryGrpcService::status);
    }

    /** Checks that throw before the first database call fail the Uni like the rest. */
    private static <T> Uni<T> respond(Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().<T>deferred(call).onFailure().transform(QueryGrpcService::status);
    }

    private static Throwable status(Throwable failure) {
        if (failure instanceof StatusRuntimeException) {
            return failure;
        }
        if (StoreUnreachable.is(failure)) {
            LOG.debugf("store unavailable: %s", failure.getMessage());
            return Status.UNAVAILABLE.withDescription("store unavailable: " + failure.getMessage()).withCause(failure)
                    .asRuntimeException();
        }
        LOG.error("query failed", failure);
        return Status.INTERNAL.withDescription("query failed: " + failure.getMessage()).asRuntimeException();
    }
}

package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.CellRef;
import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.query.v1.RegionLayersQuery;
import io.gamestate.proto.query.v1.SubtreeQuery;
import io.gamestate.proto.query.v1.SuperblockRef;
import io.gamestate.proto.query.v1.WatchRequest;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.CellVersion;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.Position;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every malformed or over-limit request gets a clear status naming the field, never a crash. */
@QuarkusTest
class BadInputTest {

    static final Bounds BOX = box(0, 0, 10, 10);
    static final Position ORIGIN = Position.newBuilder().setX(5).setY(5).build();

    @Inject
    TestWorld world;

    QueryService query;

    @BeforeEach
    void seed() {
        world.reset();
        query = world.client();
    }

    @Test
    void boxes() {
        expect(query.entitiesInBox(BoxQuery.getDefaultInstance()), Status.Code.INVALID_ARGUMENT, "box is required");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(box(Double.NaN, 0, 1, 1)).build()),
                Status.Code.INVALID_ARGUMENT, "box has a NaN or infinite coordinate");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(box(0, 0, Double.POSITIVE_INFINITY, 1)).build()),
                Status.Code.INVALID_ARGUMENT, "box has a NaN or infinite coordinate");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(box(5, 0, 5, 1)).build()),
                Status.Code.INVALID_ARGUMENT, "box is empty or inverted");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(box(0, 9, 1, 2)).build()),
                Status.Code.INVALID_ARGUMENT, "box is empty or inverted");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).setLimit(1001).build()),
                Status.Code.INVALID_ARGUMENT, "limit must be between 0 and 1000");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).setLimit(-1).build()),
                Status.Code.INVALID_ARGUMENT, "limit must be between 0 and 1000");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).addKindsValue(42).build()),
                Status.Code.INVALID_ARGUMENT, "kinds holds an unknown kind");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).addKinds(EntityKind.ENTITY_KIND_ITEM).build()),
                Status.Code.INVALID_ARGUMENT, "kinds: ENTITY_KIND_ITEM is held");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).addLayers(Layer.LAYER_UNSPECIFIED).build()),
                Status.Code.INVALID_ARGUMENT, "layers holds an unknown layer");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).addLayersValue(9).build()),
                Status.Code.INVALID_ARGUMENT, "layers holds an unknown layer");
        expect(query.entitiesInBox(BoxQuery.newBuilder().setBox(BOX).addLayers(Layer.LAYER_TERRAIN).build()),
                Status.Code.INVALID_ARGUMENT, "layers: LAYER_TERRAIN holds no entities");
        // Outside the world is not an error: nothing is there.
        assertThat(query.entitiesInBox(BoxQuery.newBuilder().setBox(box(-50, -50, -1, -1)).build())
                .await().atMost(TestWorld.WAIT).getEntitiesList()).isEmpty();
    }

    @Test
    void radiiAndNearest() {
        expect(query.entitiesInRadius(RadiusQuery.newBuilder().setRadius(1).build()),
                Status.Code.INVALID_ARGUMENT, "center is required");
        expect(query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(Position.newBuilder().setX(Double.NaN)).setRadius(1).build()),
                Status.Code.INVALID_ARGUMENT, "center has a NaN or infinite coordinate");
        expect(query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(ORIGIN).setRadius(-1).build()),
                Status.Code.INVALID_ARGUMENT, "radius must be a finite number >= 0");
        expect(query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(ORIGIN).setRadius(Double.NaN).build()),
                Status.Code.INVALID_ARGUMENT, "radius must be a finite number >= 0");
        expect(query.nearestEntities(NearestQuery.newBuilder().setCenter(ORIGIN).setK(0).build()),
                Status.Code.INVALID_ARGUMENT, "k must be between 1 and gamestate.query.max-k (100)");
        expect(query.nearestEntities(NearestQuery.newBuilder().setCenter(ORIGIN).setK(101).build()),
                Status.Code.INVALID_ARGUMENT, "k must be between 1 and gamestate.query.max-k (100)");
        expect(query.nearestEntities(NearestQuery.newBuilder().setCenter(Position.newBuilder().setY(Double.NEGATIVE_INFINITY)).setK(1).build()),
                Status.Code.INVALID_ARGUMENT, "center has a NaN or infinite coordinate");
        expect(query.nearestEntities(NearestQuery.newBuilder().setCenter(ORIGIN).setK(1).setMaxRadius(-2).build()),
                Status.Code.INVALID_ARGUMENT, "max_radius must be a finite number >= 0");
        expect(query.nearestEntities(NearestQuery.newBuilder().setCenter(Position.newBuilder().setX(-1).setY(5)).setK(1).build()),
                Status.Code.INVALID_ARGUMENT, "center (-1.0, 5.0) is outside the 4096.0 x 4096.0 world");
        // A radius beyond the world is the whole world, not an overflow.
        long far = world.place(EntityKind.ENTITY_KIND_PLAYER, 4095.5, 4095.5, 10, 0).id();
        assertThat(query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(ORIGIN).setRadius(Double.MAX_VALUE).build())
                .await().atMost(TestWorld.WAIT).getEntitiesList()).extracting(Entity::getId).containsExactly(far);
    }

    @Test
    void cellsAndRegions() {
        world.split(1L); // 259 leaves in the world's 256 superblocks
        expect(query.regionLayers(RegionLayersQuery.newBuilder().setRegion(box(0, 0, 4096, 4096)).build()),
                Status.Code.INVALID_ARGUMENT, "region covers more than gamestate.query.max-region-cells (256) leaf cells");
        expect(query.regionLayers(RegionLayersQuery.newBuilder().setRegion(BOX).addLayersValue(-3).build()),
                Status.Code.INVALID_ARGUMENT, "layers holds an unknown layer");
        expect(query.regionLayers(RegionLayersQuery.getDefaultInstance()), Status.Code.INVALID_ARGUMENT, "region is required");
        expect(query.cellAggregates(CellRef.newBuilder().setCellId(0).build()),
                Status.Code.INVALID_ARGUMENT, "cell_id must be positive");
        expect(query.cellAggregates(CellRef.newBuilder().setCellId(99_999).build()),
                Status.Code.NOT_FOUND, "cell 99999 does not exist");
        expect(query.superblockAggregates(SuperblockRef.newBuilder().setSuperblockId(-1).build()),
                Status.Code.INVALID_ARGUMENT, "superblock_id must be >= 0");
        expect(query.superblockAggregates(SuperblockRef.newBuilder().setSuperblockId(256).build()),
                Status.Code.NOT_FOUND, "superblock 256 does not exist");
        expect(query.partitionTree(SuperblockRef.newBuilder().setSuperblockId(300).build()),
                Status.Code.NOT_FOUND, "superblock 300 does not exist");
        expect(query.leafAt(Position.newBuilder().setX(4096).setY(1).build()),
                Status.Code.INVALID_ARGUMENT, "position (4096.0, 1.0) is outside the 4096.0 x 4096.0 world");
        expect(query.leafAt(Position.newBuilder().setX(Double.NaN).build()),
                Status.Code.INVALID_ARGUMENT, "position has a NaN or infinite coordinate");
    }

    @Test
    void subtrees() {
        expect(query.subtree(SubtreeQuery.newBuilder().setRootId(0).build()),
                Status.Code.INVALID_ARGUMENT, "root_id must be positive");
        expect(query.subtree(SubtreeQuery.newBuilder().setRootId(12345).build()),
                Status.Code.NOT_FOUND, "entity 12345 does not exist");
        expect(query.subtree(SubtreeQuery.newBuilder().setRootId(1).setPageSize(501).build()),
                Status.Code.INVALID_ARGUMENT, "page_size must be between 0 and gamestate.query.max-page-size (500)");
        expect(query.subtree(SubtreeQuery.newBuilder().setRootId(1).setMaxDepth(-1).build()),
                Status.Code.INVALID_ARGUMENT, "max_depth must be between 0");
        expect(query.subtree(SubtreeQuery.newBuilder().setRootId(1).setMaxDepth(33).build()),
                Status.Code.INVALID_ARGUMENT, "max_depth must be between 0 and gamestate.query.max-subtree-depth (32)");
        expect(query.subtree(SubtreeQuery.newBuilder().setRootId(1).setPageToken("not a token!").build()),
                Status.Code.INVALID_ARGUMENT, "page_token is not a token this service issued");
    }

    @Test
    void watches() {
        world.split(1L); // 260 cells in the world
        expectStream(WatchRequest.getDefaultInstance(), Status.Code.INVALID_ARGUMENT, "region is required");
        expectStream(WatchRequest.newBuilder().setRegion(box(0, 0, Double.NaN, 5)).build(),
                Status.Code.INVALID_ARGUMENT, "region has a NaN or infinite coordinate");
        expectStream(WatchRequest.newBuilder().setRegion(box(5000, 5000, 5001, 5001)).build(),
                Status.Code.INVALID_ARGUMENT, "region lies outside the world");
        expectStream(WatchRequest.newBuilder().setRegion(box(0, 0, 4096, 4096)).build(),
                Status.Code.INVALID_ARGUMENT, "region covers more than gamestate.query.max-region-cells");
        expectStream(WatchRequest.newBuilder().setRegion(BOX).addResumeFrom(CellVersion.newBuilder().setCellId(1).setVersion(-1)).build(),
                Status.Code.INVALID_ARGUMENT, "resume_from: cell_id must be positive and version >= 0");
        expectStream(WatchRequest.newBuilder().setRegion(BOX).addResumeFrom(CellVersion.newBuilder().setCellId(1))
                .addResumeFrom(CellVersion.newBuilder().setCellId(1)).build(),
                Status.Code.INVALID_ARGUMENT, "resume_from names cell 1 twice");
    }

    private void expectStream(WatchRequest request, Status.Code code, String message) {
        expect(query.watchRegion(request).collect().first(), code, message);
    }

    private static void expect(Uni<?> call, Status.Code code, String message) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> call.await().atMost(TestWorld.WAIT));
        assertThat(e).as("expected %s: %s", code, message).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).contains(message);
    }

    private static Bounds box(double minX, double minY, double maxX, double maxY) {
        return Bounds.newBuilder().setMinX(minX).setMinY(minY).setMaxX(maxX).setMaxY(maxY).build();
    }
}

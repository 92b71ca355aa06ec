package io.gamestate.common.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.world.Partitioner.Choice;
import io.gamestate.common.world.Partitioner.Rect;
import io.gamestate.common.world.Partitioner.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    static final Rect CELL = new Rect(0, 0, 256, 256);
    final Random random = new Random(3);

    List<double[]> points(int n, double minX, double minY, double maxX, double maxY) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new double[] {minX + random.nextDouble() * (maxX - minX), minY + random.nextDouble() * (maxY - minY)});
        }
        return out;
    }

    @Test
    void everyTypeTilesItsCell() {
        for (Type type : Type.values()) {
            List<Rect> children = Partitioner.children(CELL, type);
            double area = children.stream().mapToDouble(r -> (r.maxX() - r.minX()) * (r.maxY() - r.minY())).sum();
            assertThat(area).as(type.name()).isEqualTo(256.0 * 256.0);
            for (double[] p : points(500, 0, 0, 256, 256)) {
                assertThat(children.stream().filter(r -> r.contains(p[0], p[1]))).as(type.name()).hasSize(1);
            }
        }
        assertThat(Partitioner.children(CELL, Type.HORZ_A)).hasSize(3);
        assertThat(Partitioner.children(CELL, Type.VERT_4)).hasSize(4);
    }

    @Test
    void twoChildrenSufficeWhenTheyBalanceTheCrowd() {
        Choice choice = Partitioner.choose(CELL, points(50, 0, 0, 128, 256), 64, 16);
        assertThat(choice.children()).hasSize(2);
        assertThat(choice.busiest()).isLessThanOrEqualTo(32);
    }

    @Test
    void twoCrowdedQuadrantsOverAQuietHalfGiveTheThreeWayTypes() {
        List<double[]> top = new ArrayList<>(points(30, 0, 0, 128, 128));
        top.addAll(points(30, 128, 0, 256, 128));
        top.addAll(points(20, 0, 128, 256, 256));
        assertThat(Partitioner.choose(CELL, top, 64, 16).type()).isEqualTo(Type.HORZ_A);
        List<double[]> left = new ArrayList<>(points(30, 0, 0, 128, 128));
        left.addAll(points(30, 0, 128, 128, 256));
        left.addAll(points(20, 128, 0, 256, 256));
        assertThat(Partitioner.choose(CELL, left, 64, 16).type()).isEqualTo(Type.VERT_A);
    }

    @Test
    void anEvenCrowdNeedsFourChildren() {
        Choice choice = Partitioner.choose(CELL, points(100, 0, 0, 256, 256), 64, 16);
        assertThat(choice.children()).hasSize(4);
        assertThat(choice.busiest()).isLessThanOrEqualTo(32);
    }

    @Test
    void aLightLoadPrefersTwoChildren() {
        Choice choice = Partitioner.choose(CELL, points(20, 0, 0, 256, 256), 64, 16);
        assertThat(choice.children()).hasSize(2);
    }

    @Test
    void theMinimumCellSizeStopsSplitting() {
        assertThat(Partitioner.choose(new Rect(0, 0, 16, 16), points(50, 0, 0, 16, 16), 8, 16)).isNull();
        assertThat(Partitioner.canSplit(new Rect(0, 0, 16, 16), 16)).isFalse();
        assertThat(Partitioner.canSplit(new Rect(0, 0, 31, 31), 16)).isFalse();
        assertThat(Partitioner.canSplit(new Rect(0, 0, 16, 32), 16)).isTrue();
        Choice strips = Partitioner.choose(new Rect(0, 0, 64, 32), points(50, 0, 0, 64, 32), 8, 16);
        assertThat(strips.children()).allMatch(r -> r.maxX() - r.minX() >= 16 && r.maxY() - r.minY() >= 16);
    }
}

package io.gamestate.state;

import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test on a fresh world whose invariants must hold after every test method. */
abstract class WorldTest {

    @Inject
    TestWorld world;

    @BeforeEach
    void resetWorld() {
        world.reset();
    }

    @AfterEach
    void invariantsHold() {
        world.assertInvariants();
    }
}

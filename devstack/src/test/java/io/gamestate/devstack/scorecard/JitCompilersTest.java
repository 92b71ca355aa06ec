package io.gamestate.devstack.scorecard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The compiler threads are read from this very JVM's /proc entries, and a warm-up keeps to its longest. */
class JitCompilersTest {

    @Test
    void findsTheCompilerThreadsOfAJvmAndNoneInOtherProcesses() throws Exception {
        assertThat(new JitCompilers(List.of(ProcessHandle.current().pid()), Duration.ZERO).compilerTicks())
                .as("this JVM's C1 and C2 threads").isNotEmpty();
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(new JitCompilers(List.of(sleep.pid()), Duration.ZERO).compilerTicks()).isEmpty();
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void aWarmupEndsAfterItsLongestWhateverTheCompilersDo() {
        AtomicInteger passes = new AtomicInteger();
        JitCompilers.Warmup warmup = new JitCompilers(List.of(ProcessHandle.current().pid()), Duration.ZERO)
                .repeatUntilIdle(passes::incrementAndGet);
        assertThat(passes).hasValue(1);
        assertThat(warmup.findings()).containsKeys("warmupSeconds", "warmupLastPassCompilerCores");
    }

    @Test
    void aWarmupOfProcessesThatCompileNothingEndsAfterOnePass() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            AtomicInteger passes = new AtomicInteger();
            JitCompilers.Warmup warmup = new JitCompilers(List.of(sleep.pid()), Duration.ofMinutes(1))
                    .repeatUntilIdle(passes::incrementAndGet);
            assertThat(passes).hasValue(1);
            assertThat(warmup.idle()).isTrue();
            assertThat(warmup.compilerCores()).isZero();
        } finally {
            sleep.destroy();
        }
    }
}

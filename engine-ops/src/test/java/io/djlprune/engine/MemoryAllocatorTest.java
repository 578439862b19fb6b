package io.djlprune.engine;

import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** When a latency measurement warns that glibc's allocator will time page faults. */
public class MemoryAllocatorTest {

    @Test
    public void advisesOnlyLinuxProcessesWithGlibcDefaults() {
        String advice = MemoryAllocator.advice(Map.of(), "Linux");
        Assert.assertNotNull(advice);
        Assert.assertTrue(advice.contains("MALLOC_MMAP_THRESHOLD_=268435456") && advice.contains("MALLOC_ARENA_MAX=1"),
                advice);
        Assert.assertNull(MemoryAllocator.advice(Map.of("MALLOC_MMAP_THRESHOLD_", "1048576", "MALLOC_ARENA_MAX", "1"),
                "Linux"));
        Assert.assertNotNull(MemoryAllocator.advice(Map.of("MALLOC_MMAP_THRESHOLD_", "1048576"), "Linux"),
                "Java threads still get arenas of their own");
        Assert.assertNull(MemoryAllocator.advice(Map.of("LD_PRELOAD", "/usr/lib/libjemalloc.so.2"), "Linux"));
        Assert.assertNull(MemoryAllocator.advice(Map.of(), "Mac OS X"));
        Assert.assertNull(MemoryAllocator.advice(Map.of(), "Windows 11"));
    }

    @Test
    public void theTestSuiteRunsWithTheLaunchersSettings() {
        // the pom gives surefire the launcher's environment, so every timing in the tests reuses freed blocks
        Assert.assertNull(MemoryAllocator.advice(), "surefire sets MALLOC_MMAP_THRESHOLD_ as the launcher does");
    }
}

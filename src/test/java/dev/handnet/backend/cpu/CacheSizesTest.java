package dev.handnet.backend.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the L2 size comes from: sysfs's unified level-2 cache, else /proc/cpuinfo, else the default. */
class CacheSizesTest {

    @TempDir
    Path dir;

    private void cache(int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("cache/index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }

    @Test
    void sysfsLevelTwoWinsOverCpuinfo() throws IOException {
        cache(0, "1", "Data", "48K");
        cache(1, "1", "Instruction", "32K");
        cache(2, "2", "Unified", "1024K");
        Files.writeString(dir.resolve("cpuinfo"), "cache size\t: 512 KB\n");
        assertEquals(1 << 20, CacheSizes.detect(dir.resolve("cache"), dir.resolve("cpuinfo")).l2());
    }

    @Test
    void cpuinfoWhenSysfsHasNoCaches() throws IOException {
        Files.writeString(dir.resolve("cpuinfo"), "model name\t: AMD EPYC\ncache size\t: 1024 KB\n");
        assertEquals(1 << 20, CacheSizes.detect(dir.resolve("missing"), dir.resolve("cpuinfo")).l2());
    }

    @Test
    void theDefaultWhenNeitherSays() {
        assertEquals(CacheSizes.DEFAULT, CacheSizes.detect(dir.resolve("missing"), dir.resolve("missing-cpuinfo")));
    }

    @Test
    void sizesParseWithTheirUnits() {
        assertEquals(48 << 10, CacheSizes.parseSize("48K", 1));
        assertEquals(1 << 20, CacheSizes.parseSize(" 1024 KB", 1));
        assertEquals(2 << 20, CacheSizes.parseSize("2M", 1));
        assertEquals(7, CacheSizes.parseSize("lots", 7));
    }
}

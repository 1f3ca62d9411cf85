package dev.handnet.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The per-core L2 cache size in bytes, which {@link PackedGemm} sizes its blocks from. Read from
 * Linux's sysfs (cpu0's cache/index*), else /proc/cpuinfo's "cache size" (the L2 on x86), else
 * 512 KiB, the smallest of current x86 server cores.
 */
record CacheSizes(int l2) {

    static final CacheSizes DEFAULT = new CacheSizes(512 << 10);

    /** This machine's L2, as far as Linux says. */
    static CacheSizes detect() {
        return detect(Path.of("/sys/devices/system/cpu/cpu0/cache"), Path.of("/proc/cpuinfo"));
    }

    static CacheSizes detect(Path sysCache, Path cpuinfo) {
        for (int index = 0; index < 8; index++) {
            Path dir = sysCache.resolve("index" + index);
            String level = read(dir.resolve("level")), type = read(dir.resolve("type")), size = read(dir.resolve("size"));
            if ("2".equals(level) && type != null && !type.equals("Instruction") && size != null) {
                return new CacheSizes(parseSize(size, DEFAULT.l2()));
            }
        }
        for (String line : lines(cpuinfo)) {
            if (line.startsWith("cache size")) return new CacheSizes(parseSize(line.substring(line.indexOf(':') + 1), DEFAULT.l2()));
        }
        return DEFAULT;
    }

    /** "1024K", "1024 KB", "1M" -> bytes; fallback when the text is not a size. */
    static int parseSize(String text, int fallback) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "").replace("B", "");
        if (s.isEmpty()) return fallback;
        int scale = s.endsWith("K") ? 1 << 10 : s.endsWith("M") ? 1 << 20 : 1;
        String digits = scale == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long bytes = Long.parseLong(digits) * scale;
            return bytes > 0 && bytes <= Integer.MAX_VALUE ? (int) bytes : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}

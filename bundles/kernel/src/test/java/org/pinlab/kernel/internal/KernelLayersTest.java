package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The kernel bundle's layers, bottom first, and the rule that keeps them: a source file may
 * name a type of its own layer or of a layer below, never one above. Within a layer no
 * order is checked. Every package of the bundle must be listed, so a new package has to
 * choose its place. The exported {@code org.pinlab.kernel} package is split by class: its
 * value types sit at the bottom, the facade that wires a machine at the top. The same
 * order, with the kernel file each package models, is in the bundle's README.
 */
class KernelLayersTest {

    private static final String API = "org.pinlab.kernel";
    private static final String IN = API + ".internal";

    /** Bottom first. An entry is a package, or a class of the exported package. */
    static final List<List<String>> LAYERS = List.of(
            List.of(API + ".Choices", API + ".Cost", API + ".CostTable", API + ".KernelDefaults",
                    API + ".PagemapReader"),
            List.of(IN + ".frames"),
            List.of(IN + ".printk"),
            List.of(IN + ".locking"),
            List.of(IN + ".workqueue"),
            List.of(IN + ".block"),
            List.of(IN + ".mm"),
            List.of(IN + ".oracles"),
            List.of(IN + ".mm.pagealloc"),
            List.of(IN + ".mm.swap"),
            List.of(IN + ".mm.backing"),
            List.of(IN + ".mm.filemap"),
            List.of(IN + ".mm.rmap"),
            List.of(IN + ".bio"),
            List.of(IN + ".mm.mmap"),
            List.of(IN + ".mm.migrate"),
            List.of(IN + ".fs.dax"),
            List.of(IN + ".fs.namespace"),
            List.of(IN + ".mm.writeback"),
            List.of(IN + ".fs.writeback"),
            List.of(IN + ".mm.vmscan"),
            List.of(IN + ".mm.truncate"),
            List.of(IN + ".mm.memory"),
            List.of(IN + ".mm.gup"),
            List.of(IN + ".fs.proc"),
            List.of(IN + ".drivers"),
            List.of(IN + ".programs"),
            List.of(IN),
            List.of(API + ".Machine", API + ".Workload", API + ".Gauges", API + ".RunStats", API + ".Meter", IN + ".access",
                    IN + ".lab", API + ".selftests"));

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A qualified name of a kernel-bundle type, as an import or written out in code. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(org\\.pinlab\\.kernel(?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    @Test
    void noFileImportsFromALayerAboveItsOwn() {
        List<String> upward = new ArrayList<>();
        forEachSource((file, text) -> upward.addAll(upwardReferences(file, text)));
        assertEquals(List.of(), upward);
    }

    @Test
    void anImportFromAboveIsCaught() {
        String lruUsingVmscan = "package org.pinlab.kernel.internal.mm.swap;\n"
                + "import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;\n"
                + "/** Mentions {@link org.pinlab.kernel.Machine} only in a comment. */\n"
                + "final class Lru { String s = \"org.pinlab.kernel.internal.Kernel\"; }\n";
        assertEquals(List.of("Lru.java (org.pinlab.kernel.internal.mm.swap) -> "
                        + "org.pinlab.kernel.internal.mm.vmscan.ShrinkNode (org.pinlab.kernel.internal.mm.vmscan)"),
                upwardReferences(Path.of("Lru.java"), lruUsingVmscan));
    }

    @Test
    void aValueTypeThatNamesTheFacadeIsCaught() {
        String cost = "package org.pinlab.kernel;\npublic enum Cost { A; Machine m; }\n";
        assertEquals(List.of("Cost.java (org.pinlab.kernel.Cost) -> org.pinlab.kernel.Machine (org.pinlab.kernel.Machine)"),
                upwardReferences(Path.of("Cost.java"), cost));
    }

    @Test
    void everyPackageHasALayer() {
        Map<String, String> unplaced = new TreeMap<>();
        forEachSource((file, text) -> {
            String unit = unitOf(packageOf(text), fileClass(file));
            if (layerOf(unit) < 0) {
                unplaced.put(unit, file.toString());
            }
        });
        assertEquals(Map.of(), unplaced, "add these to LAYERS (and to the README's table)");
    }

    @Test
    void kernelStaysAWiringAndNoClassGrowsPast600Lines() {
        Map<String, Integer> tooLong = new TreeMap<>();
        forEachSource((file, text) -> {
            int lines = (int) text.lines().count();
            if (lines > 600) {
                tooLong.put(file.toString(), lines);
            }
        });
        assertEquals(Map.of(), tooLong);
        long kernel = read(SOURCES.resolve("org/pinlab/kernel/internal/Kernel.java")).lines().count();
        assertTrue(kernel < 300, "Kernel.java has " + kernel + " lines: it wires the layers, it owns no path");
    }

    /** Each reference from {@code text} to a unit in a higher layer, as "file (unit) -> type (unit)". */
    static List<String> upwardReferences(Path file, String text) {
        String pkg = packageOf(text);
        String me = unitOf(pkg, fileClass(file));
        int mine = layerOf(me);
        String code = withoutCommentsAndStrings(text);
        List<String> found = new ArrayList<>();
        Matcher m = QUALIFIED.matcher(code);
        while (m.find()) {
            String unit = unitOf(m.group(1), m.group(2));
            if (layerOf(unit) > mine) {
                found.add(file.getFileName() + " (" + me + ") -> " + m.group(1) + "." + m.group(2) + " (" + unit + ")");
            }
        }
        if (pkg.equals(API)) {
            // the exported package names its own classes without an import
            for (List<String> layer : LAYERS) {
                for (String unit : layer) {
                    String simple = unit.substring(unit.lastIndexOf('.') + 1);
                    if (Character.isUpperCase(simple.charAt(0)) && layerOf(unit) > mine
                            && Pattern.compile("(?<![\\w.])" + simple + "\\b").matcher(code).find()) {
                        found.add(file.getFileName() + " (" + me + ") -> " + unit + " (" + unit + ")");
                    }
                }
            }
        }
        return found;
    }

    /** The layer entry a type belongs to: its class in the exported package, else its package. */
    private static String unitOf(String pkg, String simpleName) {
        return pkg.equals(API) ? API + "." + simpleName : pkg;
    }

    private static int layerOf(String unit) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(unit)) {
                return i;
            }
        }
        return unit.equals(API + ".package-info") ? 0 : -1;
    }

    private static String packageOf(String text) {
        Matcher m = PACKAGE.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no package line");
        }
        return m.group(1);
    }

    private static String fileClass(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    /** The source with comments and string and char literals blanked, so a mention is no dependency. */
    private static String withoutCommentsAndStrings(String text) {
        String s = text.replaceAll("(?s)/\\*.*?\\*/", " ");
        s = s.replaceAll("//[^\n]*", " ");
        s = s.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        return s.replaceAll("'(?:\\\\.|[^'\\\\])'", "' '");
    }

    private interface SourceVisitor {
        void visit(Path file, String text);
    }

    private static void forEachSource(SourceVisitor visitor) {
        assertTrue(Files.isDirectory(SOURCES), "run from the kernel module: no " + SOURCES.toAbsolutePath());
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(p -> p.toString().endsWith(".java")).sorted()
                    .forEach(p -> visitor.visit(SOURCES.relativize(p), read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

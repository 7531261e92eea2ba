package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.exam.PinlabExamSupport;

/**
 * Every filesystem type registered in the running distribution carries a sane workload: a
 * writer that stores and fsyncs through a shared mapping while the flusher writes back, and
 * an RDMA registration of the same mapping where the type admits long-term pins. The types
 * are found at run time, so a new filesystem bundle is exercised here without an edit.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EveryFilesystemTypeIT extends PinlabExamSupport {

    private static final long SEEDS = 3;
    /** Tracked pins, reclaim that keeps pinned pages, snapshot writeback: clean on every seed. */
    private static final String FIXED = "{release: tracked, reclaim: keep-private, writeback: snapshot}";
    private static final Pattern FSYNC_CALLS = Pattern.compile("fsync (?:p50 .* |n/a )\\((\\d+) calls?\\)");
    private static final Pattern PINS = Pattern.compile("pins acquired (\\d+), released (\\d+);");

    @Inject
    ServiceComponentRuntime scr;

    @Test
    public void everyRegisteredFilesystemTypeRunsASaneWorkloadWithoutFindings() throws Exception {
        TreeSet<String> declared = declaredTypes();
        assertFalse("no DS component provides a FilesystemType", declared.isEmpty());
        // components activate asynchronously after boot: wait until each one's service is there
        await().until(() -> registeredTypes().keySet().equals(declared));
        Map<String, ServiceReference<FilesystemType>> registered = registeredTypes();
        Path dir = Files.createTempDirectory("pinlab-every-fs");
        TreeSet<String> ran = new TreeSet<>();
        for (Map.Entry<String, ServiceReference<FilesystemType>> type : registered.entrySet()) {
            boolean rdma = admitsLongtermPins(type.getValue());
            String name = "every-fs-" + type.getKey();
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, scenario(name, type.getKey(), rdma));
            String loaded = executeCommand("pinlab:scenarios --load " + file);
            assertTrue(loaded, loaded.contains("loaded " + name));
            for (long seed = 1; seed <= SEEDS; seed++) {
                String out = executeCommand("pinlab:run -c fixed -s " + seed + " " + name);
                String where = type.getKey() + ", seed " + seed + ":\n" + out;
                assertTrue(where, out.contains(name + " / fixed, seed " + seed));
                // no LOST_WRITE and no FSYNC_LIED either: what was fsynced is on the medium
                assertTrue(where, out.contains("no findings"));
                assertTrue(where, number(FSYNC_CALLS, out, 1) > 0);
                long acquired = number(PINS, out, 1);
                assertEquals(where, acquired, number(PINS, out, 2));
                assertEquals(where, rdma, acquired > 0);
            }
            ran.add(type.getKey());
        }
        assertEquals(registered.keySet(), ran);
    }

    /** The {@code name} of every DS component in the distribution that provides a FilesystemType. */
    private TreeSet<String> declaredTypes() {
        TreeSet<String> names = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (Arrays.asList(d.serviceInterfaces).contains(FilesystemType.class.getName())) {
                names.add(String.valueOf(d.properties.get("name")));
            }
        }
        return names;
    }

    /** The registered types by their {@code name} property, read from the service registry. */
    private Map<String, ServiceReference<FilesystemType>> registeredTypes() throws Exception {
        Map<String, ServiceReference<FilesystemType>> types = new TreeMap<>();
        for (ServiceReference<FilesystemType> ref : bundleContext.getServiceReferences(FilesystemType.class, null)) {
            Object name = ref.getProperty("name");
            assertTrue("a FilesystemType without a name property: " + ref, name instanceof String);
            assertFalse("two FilesystemType services named " + name, types.containsKey(name));
            types.put((String) name, ref);
        }
        return types;
    }

    /** Whether an RDMA registration can pin this type's pages: fsdax refuses FOLL_LONGTERM. */
    private boolean admitsLongtermPins(ServiceReference<FilesystemType> ref) {
        FilesystemType type = bundleContext.getService(ref);
        try {
            return !type.mount(new DeviceSizeOnly(256), Map.of()).refusesLongtermPins();
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    private static String scenario(String name, String type, boolean rdma) {
        StringBuilder yaml = new StringBuilder()
                .append("name: ").append(name).append('\n')
                .append("cites: every registered filesystem type under a sane workload\n")
                .append("machine:\n  memory: 2048\n  costs:\n    writeback-interval: 2ms\n    dirty-expire: 2ms\n")
                .append("filesystems:\n  - {mount: /mnt, type: ").append(type).append(", blocks: 256}\n")
                .append("files:\n  - {name: data, mount: /mnt, pages: 16}\n")
                .append("processes:\n  - name: app\n    mappings:\n      - {name: buf, file: data}\n")
                .append("programs:\n  - {writer: app.buf, store: 60, load: 20, fsync: 10, think: 200us}\n");
        if (rdma) {
            yaml.append("devices:\n  - name: mlx5_0\n    type: rdma\n    buffers:\n      - {name: mr0, mapping: app.buf}\n")
                    .append("    params: {lifetime: 3ms, pause: 1ms, dma-gap: 50us, batch: 8, retry-after: 1ms}\n");
        }
        return yaml.append("duration: 12ms\nseeds: ").append(SEEDS).append('\n')
                .append("combinations:\n  fixed: ").append(FIXED).append('\n')
                .append("expect:\n  fixed: {findings: []}\n")
                .toString();
    }

    private static long number(Pattern pattern, String out, int group) {
        Matcher m = pattern.matcher(out);
        assertTrue("'" + pattern + "' not in:\n" + out, m.find());
        return Long.parseLong(m.group(group));
    }

    /** Enough kernel for a probe mount that asks a superblock what it is; it does no I/O. */
    private static final class DeviceSizeOnly implements FsKernel {

        private final long blocks;

        DeviceSizeOnly(long blocks) {
            this.blocks = blocks;
        }

        @Override
        public long blocks() {
            return blocks;
        }

        @Override
        public void startWriteback(PageRef page) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void submitWrite(PageRef page, long block) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void redirtyForWritepage(PageRef page) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void queueFolioWork(String name, PageRef page, org.pinlab.api.fs.FolioWork work) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void mappingSetError(PageRef page, int err) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public org.pinlab.api.fs.FsWork newWork(String name, Runnable fn) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public boolean clearDirtyForIo(PageRef page) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void endWritebackUnsubmitted(PageRef page) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void submitRead(PageRef page, long block) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void zeroPage(PageRef page) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void bug(String function, String message) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public void warn(String function, String message) {
            throw new UnsupportedOperationException("probe mount");
        }

        @Override
        public long now() {
            return 0;
        }
    }
}

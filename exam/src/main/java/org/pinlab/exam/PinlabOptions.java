package org.pinlab.exam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;

/**
 * The Pax Exam options that boot the pinlab distribution offline. They run on the host
 * side, before the container starts, and read these system properties (pinlab-bundle-parent's
 * failsafe configuration sets them; pinlab's itests set the first two):
 * <ul>
 * <li>{@value #DISTRIBUTION}: the distribution's tar.gz; by default the one of this kit's
 * version in the local Maven repository;</li>
 * <li>{@value #LOCAL_REPOSITORY}: the local Maven repository the container resolves
 * {@code mvn:} URLs from (default {@code ~/.m2/repository});</li>
 * <li>{@value #BUNDLES}: the bundles under test, jar paths separated by the path separator,
 * installed and started after boot.</li>
 * </ul>
 * Every other host system property whose name starts with {@code pinlab.} is passed into the
 * container as it is.
 */
public final class PinlabOptions {

    public static final String DISTRIBUTION = "pinlab.distribution";
    public static final String LOCAL_REPOSITORY = "org.ops4j.pax.url.mvn.localRepository";
    public static final String BUNDLES = "pinlab.bundles";

    /** Long enough for a cold boot on a loaded 2-core machine; the awaits end early when done. */
    public static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

    private static final Properties VERSIONS = versions();

    private PinlabOptions() {
    }

    /** The version of pinlab this kit was built with, and the distribution it boots by default. */
    public static String pinlabVersion() {
        return VERSIONS.getProperty("pinlab.version");
    }

    /** Everything: the distribution, the test-side bundles, the bundles under test. */
    public static Option[] all() {
        List<Option> options = new ArrayList<>(distribution());
        options.add(examSupport());
        options.addAll(bundlesUnderTest());
        return options.toArray(new Option[0]);
    }

    /** The distribution unpacked under target/exam, booted with its own boot features. */
    public static List<Option> distribution() {
        File tarGz = distributionFile();
        String localRepository = localRepository();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(tarGz.toURI().toString())
                        .name("pinlab")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                systemTimeout(BOOT_TIMEOUT.toMillis()),
                // resolve test-only bundles (Pax Exam's own feature, awaitility, the bundles
                // under test by mvn: URL) from the local repository: the distribution lists no
                // remote repository
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository", localRepository),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
                mavenBundle("org.apache.servicemix.bundles", "org.apache.servicemix.bundles.hamcrest",
                        VERSIONS.getProperty("hamcrest.version")),
                mavenBundle("org.awaitility", "awaitility", VERSIONS.getProperty("awaitility.version"))));
        options.addAll(jpmsOptions(VERSIONS.getProperty("karaf.version")));
        for (String name : new TreeSet<>(System.getProperties().stringPropertyNames())) {
            if (name.startsWith("pinlab.") && !name.equals(DISTRIBUTION) && !name.equals(BUNDLES)) {
                options.add(systemProperty(name).value(System.getProperty(name)));
            }
        }
        return options;
    }

    /** This kit, installed into the container so that test classes extending its base class load there. */
    public static Option examSupport() {
        try {
            Path self = Path.of(PinlabOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                throw new IllegalStateException("pinlab-exam must be on the class path as its jar to be installed "
                        + "into the container; found " + self + " (run the tests in the integration-test phase: "
                        + "mvn verify)");
            }
            return bundle(self.toUri().toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate pinlab-exam's jar", e);
        }
    }

    /** The bundles named by {@value #BUNDLES}, each a jar that must exist. */
    public static List<Option> bundlesUnderTest() {
        String list = System.getProperty(BUNDLES, "");
        List<Option> options = new ArrayList<>();
        for (String path : list.split(File.pathSeparator)) {
            if (path.isBlank()) {
                continue;
            }
            File jar = new File(path.trim());
            if (!jar.isFile()) {
                throw new IllegalStateException(BUNDLES + " names " + jar + ", which does not exist: build the bundle "
                        + "first (failsafe runs after the package phase)");
            }
            options.add(bundle(jar.toURI().toString()).start());
        }
        return options;
    }

    static File distributionFile() {
        String configured = System.getProperty(DISTRIBUTION);
        File file;
        if (configured != null && !configured.isBlank()) {
            file = new File(configured);
        } else {
            String v = pinlabVersion();
            file = Path.of(localRepository(), "org", "pinlab", "pinlab-karaf-distro", v,
                    "pinlab-karaf-distro-" + v + ".tar.gz").toFile();
        }
        if (!file.isFile()) {
            throw new IllegalStateException("the pinlab distribution " + file + " does not exist: run 'mvn install' "
                    + "in pinlab first, or set -D" + DISTRIBUTION + "=PATH to its tar.gz");
        }
        return file;
    }

    static String localRepository() {
        String configured = System.getProperty(LOCAL_REPOSITORY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    }

    /**
     * The module-system flags bin/karaf passes on Java 9+; Pax Exam's launcher does not add
     * them, and without them Karaf's spec locator classes cannot be found.
     */
    private static List<Option> jpmsOptions(String karafVersion) {
        List<Option> vm = new ArrayList<>();
        for (String arg : new String[] {
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*",
                "-Xmx512m"}) {
            vm.add(new VMOption(arg));
        }
        return vm;
    }

    private static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = PinlabOptions.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("pinlab-exam's versions.properties is missing from its jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}

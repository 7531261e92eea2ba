package org.pinlab.itests;

import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Boots the pinlab distribution (the reactor's tar.gz) offline, waits until Karaf has
 * finished installing its boot features, and offers the helpers every IT needs: run a
 * shell command and get its output, get a service, await a condition.
 */
public abstract class PinlabTestSupport {

    /** Long enough for a cold boot on a loaded 2-core machine; the awaits end early when done. */
    protected static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

    @Inject
    protected BundleContext bundleContext;

    /** Registered by Karaf once every boot feature is installed: nothing runs before it. */
    @Inject
    @Filter(timeout = 180_000)
    protected BootFinished bootFinished;

    @Inject
    @Filter(timeout = 180_000)
    protected SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        String distribution = required("pinlab.distribution");
        String localRepository = required("org.ops4j.pax.url.mvn.localRepository");
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(distribution).toURI().toString())
                        .name("pinlab")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                systemTimeout(BOOT_TIMEOUT.toMillis()),
                // resolve test-only bundles (Pax Exam's own feature, awaitility) from the local
                // repository: the distribution itself lists no remote repository
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository", localRepository),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
                mavenBundle("org.apache.servicemix.bundles", "org.apache.servicemix.bundles.hamcrest",
                        required("pinlab.hamcrest.version")),
                mavenBundle("org.awaitility", "awaitility", required("pinlab.awaitility.version"))));
        options.addAll(jpmsOptions(required("pinlab.karaf.version")));
        // the tour test reads the README it checks
        String readme = System.getProperty("pinlab.readme");
        if (readme != null) {
            options.add(systemProperty("pinlab.readme").value(new File(readme).getAbsolutePath()));
        }
        return options.toArray(new Option[0]);
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

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run the itests through Maven (mvn verify)");
        }
        return value;
    }

    /** Awaitility with the defaults every pinlab IT uses. */
    protected static ConditionFactory await() {
        return Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS);
    }

    /** A registered service, waiting for it if it is not there yet. */
    protected <T> T service(Class<T> type) {
        await().until(() -> bundleContext.getServiceReference(type) != null);
        ServiceReference<T> ref = bundleContext.getServiceReference(type);
        return bundleContext.getService(ref);
    }

    /**
     * Runs a shell command as a user would type it and returns what it printed. Waits
     * first until the command is registered (commands register asynchronously after boot).
     *
     * @throws Exception what the command threw: a wrong argument, for instance
     */
    protected String executeCommand(String commandLine) throws Exception {
        String name = commandLine.trim().split("\\s+")[0];
        awaitCommand(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, print, print);
        try {
            Object result = session.execute(commandLine);
            if (result != null) {
                print.println(result);
            }
        } finally {
            print.flush();
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must fail and returns its error message. */
    protected String executeCommandExpectingError(String commandLine) {
        try {
            String out = executeCommand(commandLine);
            throw new AssertionError("'" + commandLine + "' should have failed but printed:\n" + out);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /** Waits until a command ({@code scope:name}) is registered with the shell. */
    protected void awaitCommand(String scopedName) {
        String[] parts = scopedName.split(":", 2);
        String scope = parts.length == 2 ? parts[0] : "*";
        String command = parts.length == 2 ? parts[1] : parts[0];
        await().until(() -> sessionFactory.getRegistry().getCommand(scope, command) != null);
    }
}

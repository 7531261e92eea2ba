package org.pinlab.exam;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.ScenarioLoader;
import org.pinlab.sim.Schedulers;

/**
 * Base class of a Pax Exam test against the pinlab distribution: annotate the subclass with
 * {@code @RunWith(PaxExam.class)} (and usually {@code @ExamReactorStrategy(PerClass.class)}).
 * {@link #config()} boots the distribution offline with the bundles under test
 * ({@link PinlabOptions}); a subclass adds options by overriding it. Test methods run inside
 * Karaf, after every boot feature is installed, with helpers to type shell commands, get
 * services, await an implementation's arrival and run a scenario.
 */
public abstract class PinlabExamSupport {

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
        return PinlabOptions.all();
    }

    /** Awaitility with the defaults every pinlab test uses: up to a minute, polled every 100 ms. */
    protected static ConditionFactory await() {
        return Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS);
    }

    /** A registered service, waiting for it if it is not there yet. */
    protected <T> T service(Class<T> type) {
        await().until(() -> bundleContext.getServiceReference(type) != null);
        ServiceReference<T> ref = bundleContext.getServiceReference(type);
        return bundleContext.getService(ref);
    }

    /** The lab: families, bound implementations, choices. */
    protected Lab lab() {
        return service(Lab.class);
    }

    /**
     * Waits until the lab has bound an implementation {@code name} in the family
     * {@code family} ({@code "filesystem"}, {@code "device"}, {@code "release"}...): a bundle's
     * component registers asynchronously after the bundle starts.
     *
     * @throws IllegalArgumentException for a family the lab does not know
     */
    protected void awaitImplementation(String family, String name) {
        Lab lab = lab();
        Family<?> f = lab.family(family);
        if (f == null) {
            throw new IllegalArgumentException("no family named '" + family + "'");
        }
        await().until(() -> lab.bound().has(f, name));
    }

    /**
     * A scenario: a catalog name, or the path of a YAML file, loaded against the
     * implementations bound now.
     */
    protected Scenario scenario(String nameOrFile) {
        ScenarioLoader loader = new ScenarioLoader(lab().bound());
        if (Catalog.names().contains(nameOrFile)) {
            return loader.load("catalog:" + nameOrFile, Catalog.yaml(nameOrFile));
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("'" + nameOrFile + "' is neither a catalog scenario ("
                    + String.join(", ", Catalog.names()) + ") nor a file");
        }
        return loader.load(file);
    }

    /**
     * A file of the project under test, by its path relative to the project's directory
     * ({@code pinlab.basedir}, which pinlab-bundle-parent passes in).
     */
    protected Path projectFile(String relative) {
        String base = System.getProperty("pinlab.basedir");
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("pinlab.basedir is not set: run the test through Maven on "
                    + "pinlab-bundle-parent, or pass -Dpinlab.basedir=DIR");
        }
        return Path.of(base).resolve(relative);
    }

    /** One run of a scenario's combination under the seeded random scheduler, as {@code pinlab:run} does. */
    protected RunResult run(String nameOrFile, String combination, long seed) {
        return new Runner(lab().bound()).run(scenario(nameOrFile), combination, seed, Schedulers.random(seed));
    }

    /**
     * The subject of the local console ({@code karaf.local.user} with {@code karaf.local.roles},
     * etc/system.properties): the command ACLs (etc/org.apache.karaf.command.acl.*.cfg) let it
     * run what a user at the prompt may run, {@code feature:install} included.
     */
    private static final Subject CONSOLE_USER = consoleUser();

    private static Subject consoleUser() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("karaf"));
        for (String role : new String[] {"admin", "manager", "viewer", "systembundles"}) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        return subject;
    }

    /**
     * Runs a shell command as a user logged in at the console would type it and returns what it
     * printed. Waits first until the command is registered (commands register asynchronously
     * after boot).
     *
     * @throws Exception what the command threw: a wrong argument, for instance
     */
    protected String executeCommand(String commandLine) throws Exception {
        String name = commandLine.trim().split("\\s+")[0];
        awaitCommand(name);
        try {
            return Subject.doAs(CONSOLE_USER, (PrivilegedExceptionAction<String>) () -> execute(commandLine));
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    private String execute(String commandLine) throws Exception {
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

    /**
     * Runs a command that must succeed. Its failure becomes an AssertionError naming the
     * command and the error: the command's own exception type (from a bundle's internal
     * package) cannot load in the JVM that reports the test.
     */
    protected String executeCommandOrFail(String commandLine) {
        try {
            return executeCommand(commandLine);
        } catch (Exception e) {
            throw new AssertionError("'" + commandLine + "' failed: " + e);
        }
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

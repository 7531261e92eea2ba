package org.pinlab.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.finding.Schedule;

/**
 * Runs tasks one atomic step at a time in simulated time. Single-threaded and
 * deterministic: the same tasks, seed and scheduler give the same steps, findings and
 * {@link #traceHash() trace hash}.
 *
 * <p>Timing: the task with the earliest ready time runs next. Tasks ready within the race
 * window of it are also candidates, and the scheduler chooses among them; every such
 * choice is recorded, so {@link #schedule()} with the seed replays the run.
 */
public final class Engine {

    /** Findings kept in full; beyond this only the count per kind grows. */
    private static final int MAX_FINDINGS = 1000;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final Scheduler scheduler;
    private final EngineConfig config;
    private final SeededRandom random;

    private final ReadyQueue ready = new ReadyQueue();
    private Task[] tasks = new Task[64];
    private int taskCount;
    private Task[] parked = new Task[16];
    private int parkedCount;
    private int liveNonDaemon;

    private long now;
    private long steps;
    private int[] decisions = new int[64];
    private int decisionCount;
    private final int[][] candidates = {new int[16]};
    private int previous = -1;
    private Task current;
    private long hash = 0x6A09E667F3BCC908L;
    private long nextHungCheck;
    /** What {@link #loadAhead} read: never used, only there to keep its loads. */
    private int loadedAhead;

    private final List<Finding> findings = new ArrayList<>();
    private final Map<FindingKind, Integer> findingCounts = new EnumMap<>(FindingKind.class);
    private String stopReason;
    private StepListener[] listeners = new StepListener[0];

    public Engine(long seed, Scheduler scheduler, EngineConfig config) {
        this.seed = seed;
        this.scheduler = scheduler;
        this.config = config;
        this.random = new SeededRandom(seed);
        this.nextHungCheck = config.hungTaskNs();
    }

    public long seed() {
        return seed;
    }

    public EngineConfig config() {
        return config;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The run's seeded source: every random choice the model makes comes from here. A program
     * that draws while it runs takes its own {@link SeededRandom#split() split} at boot, so
     * that the order in which the scheduler runs tasks does not change what each one draws.
     */
    public SeededRandom random() {
        return random;
    }

    public long now() {
        return now;
    }

    public long steps() {
        return steps;
    }

    /** The task taking the current step, or null between steps. */
    public Task current() {
        return current;
    }

    /** A live task by id, or null once it has finished. */
    public Task task(int id) {
        return tasks[id];
    }

    public int taskCount() {
        return taskCount;
    }

    public void addListener(StepListener listener) {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    // ---- tasks --------------------------------------------------------------------

    /** Creates a task whose first step runs {@code delayNs} from now. */
    public Task spawn(String name, Proc root, long delayNs) {
        return spawn(name, root, delayNs, false);
    }

    /** Creates a daemon: a kernel thread that may idle forever (kswapd, the flusher). */
    public Task spawnDaemon(String name, Proc root, long delayNs) {
        return spawn(name, root, delayNs, true);
    }

    private Task spawn(String name, Proc root, long delayNs, boolean daemon) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("delay must not be negative, was " + delayNs);
        }
        if (taskCount == tasks.length) {
            tasks = Arrays.copyOf(tasks, taskCount * 2);
        }
        Task t = new Task(this, taskCount, name, daemon, root);
        tasks[taskCount++] = t;
        if (!daemon) {
            liveNonDaemon++;
        }
        t.readyAt = now + delayNs;
        scheduler.onSpawn(t);
        ready.add(t.id(), t.readyAt);
        mix(0x5157L ^ t.id());
        return t;
    }

    int park(Task t, WaitQueue queue, boolean idle) {
        return park(t, queue, idle, -1);
    }

    /** Parks; with {@code timeoutNs >= 0} the task also becomes ready when the timeout passes. */
    int park(Task t, WaitQueue queue, boolean idle, long timeoutNs) {
        t.state = Task.PARKED;
        t.timedWait = timeoutNs >= 0;
        if (t.timedWait) {
            t.readyAt = now + timeoutNs;
            ready.add(t.id(), t.readyAt);
        }
        t.waitingOn = queue;
        t.parkedAt = now;
        t.idleWait = idle;
        if (parkedCount == parked.length) {
            parked = Arrays.copyOf(parked, parkedCount * 2);
        }
        t.parkedSlot = parkedCount;
        parked[parkedCount++] = t;
        queue.add(t);
        if (!idle) {
            detectDeadlock(t);
        }
        return Proc.PARK;
    }

    void wake(Task t) {
        if (t.state != Task.PARKED) {
            return;
        }
        if (t.timedWait) {
            ready.remove(t.id());
        }
        unpark(t);
        t.readyAt = now;
        ready.add(t.id(), now);
    }

    private void unpark(Task t) {
        int slot = t.parkedSlot;
        Task last = parked[--parkedCount];
        parked[slot] = last;
        last.parkedSlot = slot;
        parked[parkedCount] = null;
        t.parkedSlot = -1;
        t.state = Task.RUNNABLE;
        t.waitingOn = null;
        t.timedWait = false;
    }

    // ---- running ------------------------------------------------------------------

    /**
     * Runs until no task is ready by {@code untilNs}, the run is stopped, or the step limit
     * is reached.
     *
     * @return true if the run is still going (it could take more steps later)
     */
    public boolean runUntil(long untilNs) {
        while (stopReason == null && !ready.isEmpty() && ready.minTime() <= untilNs) {
            if (steps >= config.maxSteps()) {
                stop("step limit " + config.maxSteps() + " reached");
                break;
            }
            step();
        }
        if (stopReason == null && ready.isEmpty()) {
            checkQuiescent();
        }
        if (stopReason == null && untilNs > now && untilNs != Long.MAX_VALUE) {
            // time passes even when nothing runs: watchdogs must see it
            now = untilNs;
            checkHungTasks();
        }
        return stopReason == null && !ready.isEmpty();
    }

    /** Runs to the end: every task done or parked, a machine-stopping finding, or the limit. */
    public void run() {
        runUntil(Long.MAX_VALUE);
    }

    /** Takes exactly one step, if any task can; returns false if none could. */
    public boolean step() {
        if (stopReason != null || ready.isEmpty()) {
            return false;
        }
        int id = pickNext();
        int arrivals = ready.arrivals();
        if (arrivals > 0) {
            loadAhead(arrivals);
        }
        Task t = tasks[id];
        if (t.state == Task.PARKED) {
            // a timed wait ran out before anyone woke it
            t.waitingOn.remove(t);
            unpark(t);
        }
        long start = Math.max(now, t.readyAt);
        if (start > now) {
            now = start;
            if (now >= nextHungCheck) {
                checkHungTasks();
            }
        }
        current = t;
        int r;
        int bounces = 0;
        Proc p;
        do {
            p = t.top;
            r = p.step(t);
            if (r == Proc.RETURN && t.depth() == 0) {
                finish(t);
                break;
            }
            if (++bounces > 100_000) {
                throw new IllegalStateException(t + " called or returned 100000 times in one step at "
                        + t.backtrace());
            }
            // a BUG stops the machine where it stands: no caller resumes after it
        } while ((r == Proc.CALL || r == Proc.RETURN) && stopReason == null);
        current = null;
        steps++;
        previous = id;
        hash = (Long.rotateLeft(hash, 17) ^ (((long) id << 32) | (p.pc & 0xFFFFFFFFL))) * MIX;
        hash = (hash ^ now ^ p.functionHash) * MIX;
        if (r == Proc.NEXT) {
            if (t.readyAt < now) {
                throw new IllegalStateException(t + " set a ready time in the past at " + p);
            }
            ready.add(id, t.readyAt);
        }
        for (StepListener l : listeners) {
            l.onStep(t, p, start, r == Proc.NEXT ? t.readyAt : now);
        }
        return true;
    }

    private int pickNext() {
        long limit = ready.minTime() + config.raceWindowNs();
        if (ready.onlyMinUpTo(limit)) {
            return ready.pollMin();
        }
        int n = ready.collectUpTo(limit, candidates);
        if (n == 1) {
            return ready.pollMin();
        }
        int[] c = candidates[0];
        int index = scheduler.choose(c, n, decisionCount, steps, previous);
        if (index < 0 || index >= n) {
            throw new IllegalStateException(scheduler.describe() + " chose " + index + " of " + n + " candidates");
        }
        int id = c[index];
        if (decisionCount == decisions.length) {
            decisions = Arrays.copyOf(decisions, decisionCount * 2);
        }
        decisions[decisionCount++] = id;
        ready.removeCandidate(index);
        return id;
    }

    /**
     * Reads the tasks that just came due from the ready queue's ladder, all in one loop. With
     * many tasks pending each is a cache miss; taken together the misses overlap, instead of
     * stalling the step that needs each one. A task object spans two cache lines (HotSpot
     * puts long fields first and references last), so one field of each end is read, and the
     * top activation.
     */
    private void loadAhead(int n) {
        int[] ids = ready.arrived();
        int sum = 0;
        for (int i = 0; i < n; i++) {
            Task t = tasks[ids[i]];
            if (t != null) {
                sum += (int) t.readyAt + (t.waitingOn == null ? 1 : 0) + t.top.pc;
            }
        }
        loadedAhead += sum; // kept, so that the compiler cannot drop the loads
    }

    private void finish(Task t) {
        t.state = Task.DONE;
        tasks[t.id()] = null; // ids are never reused; a long run must not keep every bio's task
        if (!t.daemon()) {
            liveNonDaemon--;
        }
        mix(0xD0DEL ^ t.id());
    }

    /** Nothing can run: a clean end if only idle daemons wait, else a deadlock. */
    private void checkQuiescent() {
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < parkedCount; i++) {
            Task t = parked[i];
            if (!t.idleWait) {
                stuck.add(t.name() + " waits on " + t.waitingOn.name());
            }
        }
        if (!stuck.isEmpty()) {
            report(FindingKind.DEADLOCK, "no task can run: " + String.join("; ", stuck), parkedWaiter());
        }
    }

    private Task parkedWaiter() {
        for (int i = 0; i < parkedCount; i++) {
            if (!parked[i].idleWait) {
                return parked[i];
            }
        }
        return null;
    }

    /**
     * Follows the wait-for graph from a task that just parked: queue -> its holders -> the
     * queues they are parked on. Reaching the task again is a deadlock, whatever else runs.
     */
    private void detectDeadlock(Task start) {
        List<String> chain = new ArrayList<>();
        if (waitsFor(start, start, chain, 0)) {
            report(FindingKind.DEADLOCK, "circular wait: " + start.name() + " waits on "
                    + String.join(", held by ", chain), start);
        }
    }

    private boolean waitsFor(Task origin, Task t, List<String> chain, int depth) {
        WaitQueue q = t.waitingOn;
        if (q == null || q.holders() == null || depth > taskCount) {
            return false;
        }
        WaitQueue.Holders h = q.holders();
        for (int i = 0; i < h.count(); i++) {
            Task holder = h.holder(i);
            if (holder == null || holder.state != Task.PARKED) {
                continue;
            }
            chain.add(q.name());
            chain.add(holder.name());
            if (holder == origin || waitsFor(origin, holder, chain, depth + 1)) {
                return true;
            }
            chain.remove(chain.size() - 1);
            chain.remove(chain.size() - 1);
        }
        return false;
    }

    /**
     * The timeout as {@code check_hung_task} prints it ({@code "%ld seconds"} of
     * {@code hung_task_timeout_secs}); a threshold below a whole second, which the kernel's
     * sysctl cannot hold but a short scenario uses, keeps its own unit ({@code 2ms}) rather
     * than printing {@code 0 seconds}.
     */
    static String hungTaskTimeout(long ns) {
        return ns % 1_000_000_000L == 0 ? ns / 1_000_000_000L + " seconds"
                : org.pinlab.api.device.Parameters.formatNs(ns);
    }

    /** {@code check_hung_uninterruptible_tasks()}: khungtaskd's scan, run as simulated time passes. */
    private void checkHungTasks() {
        long threshold = config.hungTaskNs();
        for (int i = 0; i < parkedCount; i++) {
            Task t = parked[i];
            if (!t.idleWait && t.parkedAt != Long.MIN_VALUE && now - t.parkedAt >= threshold) {
                report(FindingKind.HUNG_TASK, "INFO: task " + t.name() + " blocked for more than "
                        + hungTaskTimeout(threshold) + ", waiting on " + t.waitingOn.name(), t);
                t.parkedAt = Long.MIN_VALUE; // reported once per wait, as khungtaskd does
            }
        }
        nextHungCheck = now + Math.max(1, threshold / 2);
    }

    /** Stops the run; {@link #stopReason()} says why. */
    public void stop(String why) {
        if (stopReason == null) {
            stopReason = why;
            mix(why.hashCode());
        }
    }

    public boolean stopped() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    /** True if the run cannot go on: stopped, or nothing left to run. */
    public boolean finished() {
        return stopReason != null || ready.isEmpty();
    }

    /** Non-daemon tasks that have not finished. */
    public int liveTasks() {
        return liveNonDaemon;
    }

    // ---- findings and tracing -----------------------------------------------------------

    /** Raises a finding against the running task; a BUG or deadlock stops the run. */
    public Finding report(FindingKind kind, String message) {
        return report(kind, message, current);
    }

    /** Raises a finding against a given task (or none). */
    public Finding report(FindingKind kind, String message, Task task) {
        return report(kind, message, task, null);
    }

    /**
     * Raises a finding against the running task from inside a function that is not a
     * {@link Proc} of its own (a filesystem callback): {@code innermost} heads the backtrace.
     */
    public Finding report(FindingKind kind, String message, String innermost) {
        return report(kind, message, current, innermost);
    }

    private Finding report(FindingKind kind, String message, Task task, String innermost) {
        findingCounts.merge(kind, 1, Integer::sum);
        List<String> trace = task == null ? new ArrayList<>() : task.backtrace();
        if (innermost != null) {
            trace.add(0, innermost);
        }
        Finding f = new Finding(kind, message, task == null ? "-" : task.name(),
                trace, now, steps, seed, schedule());
        if (findings.size() < MAX_FINDINGS) {
            findings.add(f);
        }
        mix(kind.ordinal() * 31L + message.hashCode());
        for (StepListener l : listeners) {
            l.onFinding(f);
        }
        if (kind.stopsMachine()) {
            stop(kind + ": " + message);
        }
        return f;
    }

    /** The findings kept so far (the first {@value #MAX_FINDINGS}). */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** How many findings of a kind were raised, including those beyond the kept list. */
    public int count(FindingKind kind) {
        return findingCounts.getOrDefault(kind, 0);
    }

    /** The decisions so far. */
    public Schedule schedule() {
        return Schedule.of(Arrays.copyOf(decisions, decisionCount));
    }

    public int decisionCount() {
        return decisionCount;
    }

    /** Folds a model event into the trace hash, so that runs differing only in state differ in hash. */
    public void mix(long value) {
        hash = (Long.rotateLeft(hash, 23) ^ value) * MIX;
    }

    /** A 64-bit digest of every step and every mixed event so far. */
    public long traceHash() {
        long h = hash ^ steps ^ now;
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
    }
}

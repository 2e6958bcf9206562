package dev.jobs.runtime;

import dev.jobs.JobHandler;
import dev.jobs.JobPriority;
import dev.jobs.JobRegistration;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.codec.RetryPolicyText;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.execution.Ids;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatch: a row per job, committed before the call returns, and a pending result per job. With
 * an idle worker the row is inserted already claimed and handed to that worker (no claim round
 * trip); otherwise the scheduler is woken.
 */
final class Dispatcher {

    private final JobManager manager;
    private final JobStore store;
    private final JobRegistry registry;
    private final StateCodec codec;
    private final JsonCodec json;
    private final EventBus events;
    private final Results results;
    private final Workers workers;
    private final Clock clock;
    private final String owner;
    private final RetryPolicyText retryPolicies = new RetryPolicyText();

    Dispatcher(
            JobManager manager,
            JobStore store,
            JobRegistry registry,
            StateCodec codec,
            JsonCodec json,
            EventBus events,
            Results results,
            Workers workers,
            Clock clock,
            String owner) {
        this.manager = manager;
        this.store = store;
        this.registry = registry;
        this.codec = codec;
        this.json = json;
        this.events = events;
        this.results = results;
        this.workers = workers;
        this.clock = clock;
        this.owner = owner;
    }

    <O> JobHandle<O> dispatch(JobHandler<O> job, DispatchOptions options) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(options, "options");
        JobRegistration<?> registration = registry.forJob(job);
        return insert(registration, codec.encode(job), json.parametersOf(registration, job), options, null, null, null);
    }

    JobHandle<?> dispatchByName(String name, String parametersJson, DispatchOptions options) {
        return dispatchByName(name, parametersJson, options, null);
    }

    /** A dispatch by name; {@code rerunOf} is the finished job it runs again, or null. */
    JobHandle<?> dispatchByName(String name, String parametersJson, DispatchOptions options, UUID rerunOf) {
        JsonCodec.requireDispatchArguments(name, parametersJson);
        Objects.requireNonNull(options, "options");
        JobRegistration<?> registration = registry.require(name);
        JsonCodec.Bound<? extends JobHandler<?>> bound = json.bind(registration, parametersJson);
        return insert(registration, codec.encode(bound.job()), bound.parameters(), options, rerunOf, null, null);
    }

    /** A job of a schedule run now, outside its ticks ({@code Schedules.triggerNow}); its tick is now. */
    JobHandle<?> dispatchForSchedule(String schedule, String jobName, String parametersJson, JobPriority priority) {
        JobRegistration<?> registration = registry.require(jobName);
        JsonCodec.Bound<? extends JobHandler<?>> bound = json.bind(registration, parametersJson);
        return insert(
                registration,
                codec.encode(bound.job()),
                bound.parameters(),
                DispatchOptions.defaults().priority(priority),
                null,
                schedule,
                clock.millis());
    }

    /**
     * The job of one tick of a schedule, to insert with the tick ({@code JobStore.applyTick}).
     *
     * @throws dev.jobs.UnknownJobException the job is not registered here
     * @throws dev.jobs.InvalidParametersException the schedule's parameters no longer fit the job
     */
    NewJob scheduledJob(String schedule, String jobName, String parametersJson, int priority, long tick, long now) {
        Template t = templates.get(jobName + '\u0000' + parametersJson);
        if (t == null) {
            JobRegistration<?> registration = registry.require(jobName);
            JsonCodec.Bound<? extends JobHandler<?>> bound = json.bind(registration, parametersJson);
            t = new Template(
                    registration.name(),
                    registration.version(),
                    codec.encode(bound.job()),
                    bound.parameters(),
                    retryPolicies.forType(registration),
                    resources(registration, DispatchOptions.defaults()));
            if (templates.size() >= 10_000) {
                templates.clear();
            }
            templates.put(jobName + '\u0000' + parametersJson, t);
        }
        return new NewJob(
                Ids.next(),
                t.name(),
                t.version(),
                t.data(),
                priority,
                now,
                t.parameters(),
                null,
                null,
                t.retry().text(),
                t.retry().maxAttempts(),
                schedule,
                tick,
                null,
                t.resources(),
                null);
    }

    /**
     * The stored form of a schedule's job, the same at every tick: its parameters are bound,
     * validated and encoded once, not at each tick (a schedule's parameters only change with the
     * schedule, which gives a new key).
     */
    private record Template(
            String name,
            int version,
            byte[] data,
            String parameters,
            RetryPolicyText.Encoded retry,
            List<NewJob.Resource> resources) {}

    private final java.util.Map<String, Template> templates = new java.util.concurrent.ConcurrentHashMap<>();

    /** After a tick's jobs were committed: they are announced and a worker looks for them. */
    void scheduledJobsInserted(List<NewJob> jobs) {
        for (NewJob job : jobs) {
            events.queued(job.id(), job.name());
        }
        if (!jobs.isEmpty()) {
            workers.signal();
        }
    }

    /** Many jobs in one transaction, all or nothing; their Queued events are published after the commit. */
    List<JobHandle<?>> dispatchAll(Collection<? extends JobHandler<?>> jobs, DispatchOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.uniqueKey().isPresent()) {
            throw new IllegalArgumentException(
                    "dispatchAll cannot give one unique key to many jobs; dispatch each job with its own key");
        }
        long now = clock.millis();
        Long runAt = options.runAtMillis(now);
        List<NewJob> rows = new ArrayList<>(jobs.size());
        List<JobHandle<?>> handles = new ArrayList<>(jobs.size());
        for (JobHandler<?> job : jobs) {
            NewJob row = row(job, options, now);
            rows.add(row);
            handles.add(new JobHandle<>(manager, row.id(), row.name(), results.register(row.id())));
        }
        try {
            StoreFutures.await(store.insertAll(rows, () -> {
                if (events.hasListeners()) {
                    rows.forEach(r -> events.queued(r.id(), r.name()));
                }
            }));
        } catch (RuntimeException e) {
            rows.forEach(r -> results.forget(r.id()));
            throw e;
        }
        if (runAt == null) {
            workers.signal();
        } else {
            workers.wakeBy(runAt);
        }
        return handles;
    }

    /** The row of {@code job} dispatched with {@code options} at {@code now}, not stored yet. */
    private NewJob row(JobHandler<?> job, DispatchOptions options, long now) {
        JobRegistration<?> registration = registry.forJob(Objects.requireNonNull(job, "job"));
        RetryPolicyText.Encoded retry = retryPolicy(registration, options);
        return new NewJob(
                Ids.next(),
                registration.name(),
                registration.version(),
                codec.encode(job),
                options.priority().value(),
                now,
                json.parametersOf(registration, job),
                null,
                options.runAtMillis(now),
                retry.text(),
                retry.maxAttempts(),
                null,
                null,
                null,
                resources(registration, options),
                null);
    }

    /**
     * A child of the run holding {@code parent}, stored under {@code childKey} unless the parent
     * already has that child; its id, or null if the run lost its claim.
     */
    UUID dispatchChild(dev.jobs.runtime.store.Claim parent, JobHandler<?> job, String childKey) {
        NewJob row = row(job, DispatchOptions.defaults(), clock.millis())
                .withRelation(NewJob.Relation.child(parent.id(), childKey));
        UUID id = StoreFutures.await(store.insertChild(parent, row, () -> events.queued(row.id(), row.name())));
        if (row.id().equals(id)) {
            workers.signal();
        }
        return id;
    }

    /**
     * The steps of a chain in one transaction: the first QUEUED (at the options' run time, if
     * any), each later one WAITING for the one before it.
     */
    ChainHandle dispatchChain(List<JobHandler<?>> steps, DispatchOptions options, boolean continueOnFailure) {
        Objects.requireNonNull(options, "options");
        if (options.uniqueKey().isPresent()) {
            throw new IllegalArgumentException("a chain cannot take a unique key; give its steps none");
        }
        UUID chain = Ids.next();
        long now = clock.millis();
        List<NewJob> rows = new ArrayList<>(steps.size());
        List<JobHandle<?>> handles = new ArrayList<>(steps.size());
        UUID before = null;
        for (JobHandler<?> step : steps) {
            DispatchOptions stepOptions = before == null ? options : options.atOnce();
            NewJob row =
                    row(step, stepOptions, now).withRelation(NewJob.Relation.step(chain, before, continueOnFailure));
            rows.add(row);
            before = row.id();
        }
        for (NewJob row : rows) {
            handles.add(new JobHandle<>(manager, row.id(), row.name(), results.register(row.id())));
        }
        NewJob first = rows.get(0);
        try {
            StoreFutures.await(store.insertAll(rows, () -> events.queued(first.id(), first.name())));
        } catch (RuntimeException e) {
            rows.forEach(r -> results.forget(r.id()));
            throw e;
        }
        if (first.runAt() == null) {
            workers.signal();
        } else {
            workers.wakeBy(first.runAt());
        }
        return new ChainHandle(manager, chain, handles);
    }

    /**
     * A dispatch with a unique key: inserted unless another job holds the key, in which case the
     * handle is that job's. Never handed to an idle worker directly (the key must be checked in
     * the store first).
     */
    private JobHandle<?> insertUnique(NewJob row, DispatchOptions options, long now) {
        Uniqueness u = options.uniqueness();
        NewJob keyed = row.withUnique(new NewJob.UniqueKey(
                options.uniqueKey().orElseThrow(),
                u.scope().name(),
                u.period() == null ? null : now + u.period().toMillis()));
        CompletableFuture<Object> result = results.register(row.id());
        UUID holder;
        try {
            holder = StoreFutures.await(store.insertUnique(keyed, () -> events.queued(row.id(), row.name())));
        } catch (RuntimeException e) {
            results.forget(row.id());
            throw e;
        }
        if (!holder.equals(row.id())) {
            results.forget(row.id());
            try {
                return manager.existingHandle(holder, true);
            } catch (JobNotFoundException e) {
                throw new dev.jobs.JobException(
                        "the unique key '" + keyed.unique().key() + "' is held "
                                + keyed.unique()
                                        .scope()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', ' ')
                                + " by job " + holder + ", which was deleted since (retention or clean); "
                                + "nothing was dispatched. Use another key");
            }
        }
        if (row.runAt() == null) {
            workers.signal();
        } else {
            workers.wakeBy(row.runAt());
        }
        return new JobHandle<>(manager, row.id(), row.name(), result);
    }

    /** The resources a job holds: the dispatch's, and its type's limit ({@code @Job(maxConcurrent)}). */
    private List<NewJob.Resource> resources(JobRegistration<?> registration, DispatchOptions options) {
        NewJob.Resource type = typeLimits.computeIfAbsent(registration.name(), n -> {
            dev.jobs.Job job = registration.jobType().getAnnotation(dev.jobs.Job.class);
            int max = job == null ? 0 : job.maxConcurrent();
            return max > 0 ? new NewJob.Resource("type:" + n, max) : NO_LIMIT;
        });
        List<NewJob.Resource> given = options.resourceList();
        if (type == NO_LIMIT) {
            return given;
        }
        if (given.isEmpty()) {
            return List.of(type);
        }
        List<NewJob.Resource> all = new ArrayList<>(given);
        all.add(type);
        return all;
    }

    private static final NewJob.Resource NO_LIMIT = new NewJob.Resource("", 0);
    private final java.util.Map<String, NewJob.Resource> typeLimits = new java.util.concurrent.ConcurrentHashMap<>();

    /** The dispatch's own retry policy, else the job type's. */
    private RetryPolicyText.Encoded retryPolicy(JobRegistration<?> registration, DispatchOptions options) {
        return options.retry().map(retryPolicies::encode).orElseGet(() -> retryPolicies.forType(registration));
    }

    @SuppressWarnings("unchecked")
    private <O> JobHandle<O> insert(
            JobRegistration<?> registration,
            byte[] data,
            String parameters,
            DispatchOptions options,
            UUID rerunOf,
            String schedule,
            Long scheduledFor) {
        UUID id = Ids.next();
        long now = clock.millis();
        Long runAt = options.runAtMillis(now);
        RetryPolicyText.Encoded retry = retryPolicy(registration, options);
        NewJob row = new NewJob(
                id,
                registration.name(),
                registration.version(),
                data,
                options.priority().value(),
                now,
                parameters,
                rerunOf,
                runAt,
                retry.text(),
                retry.maxAttempts(),
                schedule,
                scheduledFor,
                null,
                resources(registration, options),
                null);
        if (options.uniqueKey().isPresent()) {
            return (JobHandle<O>) insertUnique(row, options, now);
        }
        CompletableFuture<Object> result = results.register(id);
        // a delayed job is never handed to an idle worker: it waits in the queue for its time
        Workers.Reservation reservation = runAt == null ? workers.reserveIdleWorker() : null;
        boolean claimed;
        try {
            if (reservation != null) {
                // an idle worker: insert the job as already claimed and hand it over (no claim round trip)
                claimed = StoreFutures.await(store.insertClaimedIfFirst(row, owner, reservation.leaseUntil()));
            } else {
                // Queued is published on the writer thread right after the commit, so no Started
                // (from a claim in a later write) can come before it
                StoreFutures.await(store.insert(row, () -> events.queued(id, registration.name())));
                claimed = false;
            }
        } catch (RuntimeException e) {
            results.forget(id);
            if (reservation != null) {
                reservation.release();
            }
            throw e;
        }
        if (reservation != null) {
            events.queued(id, registration.name()); // before this thread starts the job or signals
        }
        if (claimed) {
            reservation.start(new ClaimedJob(id, row.name(), row.version(), data, 0, 1, 0, row.retryPolicy(), false));
        } else if (reservation != null) {
            reservation.release();
        } else if (runAt == null) {
            workers.signal();
        } else {
            workers.wakeBy(runAt); // the scheduler may sleep until a later run time
        }
        return new JobHandle<>(manager, id, registration.name(), (CompletableFuture<O>) (CompletableFuture<?>) result);
    }
}

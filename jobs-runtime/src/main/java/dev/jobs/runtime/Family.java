package dev.jobs.runtime;

import dev.jobs.ChildOutcome;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.execution.Relatives;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.Claim;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs tied to a run, as its context reaches them: children are made by the dispatcher like
 * any job (with the parent's claim and the child's key, see {@link JobStore#insertChild}), and
 * outputs are read as their job type's output type. The dispatcher exists after the workers, so
 * it is handed over once it does ({@link #dispatcher(Dispatcher)}).
 */
final class Family implements Relatives {

    private static final Logger LOG = LoggerFactory.getLogger(Family.class);

    private final JobStore store;
    private final JobRegistry registry;
    private final JsonCodec json;
    private volatile Dispatcher dispatcher;

    Family(JobStore store, JobRegistry registry, JsonCodec json) {
        this.store = store;
        this.registry = registry;
        this.json = json;
    }

    void dispatcher(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public UUID dispatchChild(Claim parent, JobHandler<?> job, String childKey) {
        Dispatcher d = dispatcher;
        if (d == null) {
            throw new IllegalStateException("the manager is still starting; dispatch children from a job's run");
        }
        return d.dispatchChild(parent, job, childKey);
    }

    @Override
    public List<ChildOutcome> children(UUID parent) {
        return store.children(parent).stream()
                .map(r -> new ChildOutcome(r.id(), r.name(), r.status(), r.errorMessage(), output(r)))
                .toList();
    }

    @Override
    public <T> Optional<T> previousOutput(UUID id, Class<T> type) {
        return store.find(id)
                .map(JobRow::after)
                .flatMap(store::find)
                .filter(r -> r.status() == dev.jobs.JobStatus.COMPLETED && r.output() != null)
                .map(r -> json.fromJson(r.output(), type));
    }

    /** A completed row's output as its type's output type; null if it has none or cannot be read. */
    private Object output(JobRow row) {
        if (row.status() != dev.jobs.JobStatus.COMPLETED || row.output() == null) {
            return null;
        }
        Class<?> type = registry.find(row.name())
                .<Class<?>>map(JobRegistration::outputType)
                .orElse(Object.class);
        try {
            return json.fromJson(row.output(), type);
        } catch (RuntimeException e) {
            LOG.warn("the output of child job {} cannot be read as {}: {}", row.id(), type.getName(), e.getMessage());
            return null;
        }
    }
}

package dev.jobs.docs;

import dev.jobs.InvalidParametersException;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code thumbnails} job of docs/writing-jobs.md ("The generated schema"), with the
 * {@code validate()} its table of dispatch errors assumes. Never run: {@link DispatchMessagesDocTest}
 * only dispatches it.
 */
@Job(name = "thumbnails", description = "Render thumbnails for a folder")
public class ThumbnailJob implements JobHandler<Integer> {
    public enum Format {
        JPEG,
        PNG
    }

    @Param(description = "Folder to scan")
    Path folder;

    @Param
    int size = 256;

    @Param
    Format format = Format.JPEG;

    List<String> done = new ArrayList<>(); // state: not in the schema
    transient Instant startedAt; // not persisted
    static final int MAX_SIZE = 4096; // not persisted

    ThumbnailJob() {}

    void validate() {
        if (size < 16 || size > MAX_SIZE) {
            throw new InvalidParametersException("size", "must be from 16 to 4096, was " + size);
        }
    }

    @Override
    public Integer run(JobContext ctx) {
        throw new UnsupportedOperationException("only dispatched, never run");
    }
}

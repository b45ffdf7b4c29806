/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an output directory holds of earlier runs: finds the files a run writes, refuses a start that would
 * overwrite them or a resume without a checkpoint, removes them when asked, and cleans up the temporary files of
 * interrupted writes. Its owner holds the {@link RunDirectoryLock} while it uses it.
 */
final class RunDirectory {
    private static final Logger logger = LoggerFactory.getLogger(RunDirectory.class);
    /** The summary of a completed run. */
    static final String SUMMARY = "summary.json";
    /** The files a run writes, checkpoint first. */
    private static final List<String> RUN_FILES = List.of(CheckpointStore.FILE_NAME, "metrics.jsonl", "metrics.csv",
            SUMMARY);

    private final Path dir;

    RunDirectory(Path dir) {
        this.dir = dir;
    }

    Path checkpoint() {
        return dir.resolve(CheckpointStore.FILE_NAME);
    }

    /** Returns the names of the run files present (a dangling symbolic link counts: it stands for one). */
    private List<String> runFiles() {
        List<String> present = new ArrayList<>();
        for (String f : RUN_FILES) {
            if (Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                present.add(f);
            }
        }
        return present;
    }

    /**
     * Refuses a fresh start if an earlier run's files are here.
     *
     * @throws RunDirectoryException naming the files and the options that continue or replace them
     */
    void requireNoEarlierRun() {
        List<String> present = runFiles();
        if (!present.isEmpty()) {
            throw new RunDirectoryException("output directory " + dir + " already holds an earlier run ("
                    + String.join(", ", present) + "); resume it (--resume), replace it (--overwrite) or choose "
                    + "another output directory (--out)");
        }
    }

    /**
     * Reads the checkpoint to resume.
     *
     * @return the checkpoint
     * @throws RunDirectoryException if there is none, saying what the directory holds instead
     * @throws CheckpointException if it is damaged
     */
    RoundCheckpoint requireCheckpoint() {
        Path file = checkpoint();
        if (!Files.isRegularFile(file)) {
            String what = "no checkpoint " + file;
            if (Files.isSymbolicLink(file)) {
                what = file + " is a symbolic link to " + target(file) + ", which does not exist";
            } else if (Files.exists(file)) {
                what = file + " is not a regular file";
            }
            List<String> others = runFiles();
            others.remove(CheckpointStore.FILE_NAME);
            throw new RunDirectoryException("nothing to resume in " + dir + ": " + what + (others.isEmpty()
                    ? "; run without --resume to start from round 0"
                    : "; the directory holds " + String.join(", ", others) + " of an earlier run whose checkpoint "
                            + "is gone: start afresh with --overwrite (replacing them) or in another output "
                            + "directory"));
        }
        return CheckpointStore.read(file);
    }

    /**
     * Returns whether {@code summary.json} says that the run is complete after {@code rounds}.
     *
     * @param runId the run
     * @param rounds the rounds
     * @return true if the summary is this run's, after these rounds
     */
    boolean completed(String runId, int rounds) {
        Path f = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            JsonNode s = JsonMapper.builder().build().readTree(f.toFile());
            return s != null && runId.equals(s.path("run_id").asText()) && s.path("rounds").asInt() == rounds;
        } catch (IOException e) {
            return false; // an unreadable summary is rewritten when the run completes
        }
    }

    /** Removes an earlier run's files (a fresh run with {@link RunMode#OVERWRITE}). */
    void removeEarlierRun() {
        for (String f : runFiles()) {
            try {
                Files.deleteIfExists(dir.resolve(f));
            } catch (IOException e) {
                throw new FedbiotException("cannot remove " + dir.resolve(f) + " of the earlier run: "
                        + e.getMessage(), e);
            }
            logger.info("removed {} of the earlier run in {}", f, dir);
        }
    }

    /** Removes the temporary files that killed writes left behind. */
    void removeStaleTemporaries() {
        try {
            for (Path p : AtomicFile.removeStaleTemporaries(dir)) {
                logger.info("removed {}, left by an interrupted write", p);
            }
        } catch (IOException e) {
            throw new FedbiotException("cannot clean temporary files in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}

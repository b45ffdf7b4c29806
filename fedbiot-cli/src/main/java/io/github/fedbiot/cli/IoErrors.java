/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Says what went wrong with a file in words: the JDK's file exceptions carry only the path as their message
 * (the kind of failure is the class name, e.g. {@code AccessDeniedException: /out}), which a user should not
 * have to decode.
 */
final class IoErrors {
    private IoErrors() {}

    /**
     * Describes a failed file operation.
     *
     * @param e the failure
     * @return the file and what went wrong, on one line, without class names
     */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String what = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof DirectoryNotEmptyException ? "is a directory that is not empty"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "is not a directory"
                    : f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT) : "cannot be accessed";
            String file = f.getFile() == null ? "" : f.getFile();
            return (f.getOtherFile() == null ? file : f.getOtherFile()) + ": " + what;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : m;
    }
}

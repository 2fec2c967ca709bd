// Package file provides lua-eco's "eco.internal.file" (file.c: open, close,
// lseek, stat, fstat, access, readlink, mkdir, dir, statvfs, chown,
// dirname, basename, flock, sync, inotify and its constants) and
// "eco.file" (file.lua: readfile, writefile, walk, file objects whose reads
// and writes go through eco.reader and eco.writer, and inotify watchers),
// with lua-eco's return values and error texts.
//
// Fds come from and go back to the runtime's fdio table: open and
// inotify_init adopt theirs (closed when the runtime ends), and close is
// close(2) for any fd, so it also closes the fds of pipes and sockets.
//
// inotify is golang.org/x/sys/unix's inotify_init1/add_watch/rm_watch, not
// fsnotify: lua-eco hands scripts the raw inotify fd (w.fd, watched with an
// eco.reader) and the raw event buffer (inotify_parse_event), which
// fsnotify hides behind its own reader goroutine and event type.
package file

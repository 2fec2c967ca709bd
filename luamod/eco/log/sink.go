package log

import (
	"io"
	"log/syslog"
	"os"
)

// consoleSink is where records go while no file path is set: a caller's
// writer, stdout when it is a terminal, or syslog, else stderr.
type consoleSink struct {
	out       io.Writer // nil selects syslog
	syslogW   *syslog.Writer
	syslogErr bool // dialling failed: records go to noSyslog
	// noSyslog receives the full line when there is no syslog to dial (a
	// container has no /dev/log). lua-eco's vsyslog drops such records;
	// here they would vanish from every container and service whose
	// stdout is not a terminal, so they go to stderr, which the container
	// runtime or journald collects.
	noSyslog io.Writer
}

func newConsoleSink(out io.Writer) *consoleSink {
	if out == nil && isTerminal(os.Stdout) {
		out = os.Stdout
	}
	return &consoleSink{out: out, noSyslog: os.Stderr}
}

// write sends one record: the full line to a writer, or msg alone to syslog
// (syslog adds its own time stamp, tag and pid).
func (s *consoleSink) write(prio int, ident, line, msg string) {
	if s.out != nil {
		_, _ = io.WriteString(s.out, line)
		return
	}
	if s.syslogW == nil && !s.syslogErr {
		w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, ident)
		s.syslogW, s.syslogErr = w, err != nil
	}
	if s.syslogW == nil {
		_, _ = io.WriteString(s.noSyslog, line)
		return
	}
	send := [8]func(string) error{
		s.syslogW.Emerg, s.syslogW.Alert, s.syslogW.Crit, s.syslogW.Err,
		s.syslogW.Warning, s.syslogW.Notice, s.syslogW.Info, s.syslogW.Debug,
	}
	_ = send[prio](msg)
}

// resetSyslog makes the next syslog record reconnect with the new ident,
// as lua-eco's set_ident does with closelog/openlog.
func (s *consoleSink) resetSyslog() {
	if s.syslogW != nil {
		_ = s.syslogW.Close()
		s.syslogW = nil
	}
	s.syslogErr = false
}

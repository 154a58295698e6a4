package main

import (
	"os"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// statusKiB is a field of /proc/self/status in KiB (VmHWM, VmRSS), -1 when unknown.
func statusKiB(field string) int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB$`).FindSubmatch(status)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// peakRssKiB is this process's own peak resident set size (VmHWM).
func peakRssKiB() int { return statusKiB("VmHWM") }

// currentRssKiB is this process's resident set size now (VmRSS).
func currentRssKiB() int { return statusKiB("VmRSS") }

// processCPUMs is this process's CPU time so far (user + system, all threads), ms.
func processCPUMs() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return -1
	}
	return float64(time.Duration(usage.Utime.Nano()+usage.Stime.Nano())) / float64(time.Millisecond)
}

// elapsedMs is the time since start, ms.
func elapsedMs(start time.Time) float64 {
	return float64(time.Since(start)) / float64(time.Millisecond)
}

package main

import (
	"fmt"
	"os"
	"time"
)

// ready tells the orchestrator, on stderr, that the watch is established.
func ready(since time.Time) {
	fmt.Fprintf(os.Stderr, "READY %.1f\n", elapsedMs(since))
}

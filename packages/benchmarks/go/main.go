// Command client-go-bench is client-go's side of @kgo/benchmarks: one task per process, the
// same tasks the JavaScript workers run (src/worker.ts), against the same API server with the
// same CA and client certificate. It reads a job (JSON, the file named by its one argument),
// runs it with client-go's typed ClientSet (or its discovery clients), and prints one JSON line:
// the figures, the process's CPU time and its own peak RSS (VmHWM).
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// job is what the orchestrator (src/run.ts) asks for; fields unused by a task are zero.
type job struct {
	Task     string `json:"task"`
	Server   string `json:"server"`
	CAFile   string `json:"caFile"`
	CertFile string `json:"certFile"`
	KeyFile  string `json:"keyFile"`

	Namespace string `json:"namespace"`
	Name      string `json:"name"`

	// get
	WarmupMs      int   `json:"warmupMs"`
	DurationMs    int   `json:"durationMs"`
	Concurrencies []int `json:"concurrencies"`

	// list, discovery
	Runs          int `json:"runs"`
	ExpectedItems int `json:"expectedItems"`

	// create
	Count       int    `json:"count"`
	Concurrency int    `json:"concurrency"`
	NamePrefix  string `json:"namePrefix"`
	WarmupCount int    `json:"warmupCount"`

	// protobuf scenarios: "json" or "protobuf" pins the wire format (empty: client-go's default);
	// list and watch: "configmaps" (default) or "pods"
	Wire     string `json:"wire"`
	Resource string `json:"resource"`

	// watch
	ResourceVersion string `json:"resourceVersion"`
	Events          int    `json:"events"`
	WarmupRuns      int    `json:"warmupRuns"`

	// informer: the orchestrator sets updateLabel=updateToken on `updates` cached objects
	Updates     int    `json:"updates"`
	UpdateLabel string `json:"updateLabel"`
	UpdateToken string `json:"updateToken"`

	// discovery
	Mode     string `json:"mode"`
	CacheDir string `json:"cacheDir"`
}

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: client-go-bench <job.json>"))
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var j job
	if err := json.Unmarshal(raw, &j); err != nil {
		fail(fmt.Errorf("job %s: %w", os.Args[1], err))
	}
	var result map[string]any
	switch j.Task {
	case "get":
		result, err = runGet(j)
	case "list":
		result, err = runList(j)
	case "create":
		result, err = runCreate(j)
	case "watch":
		result, err = runWatch(j)
	case "discovery":
		result, err = runDiscovery(j)
	case "informer":
		result, err = runInformer(j)
	default:
		err = fmt.Errorf("unknown task %q", j.Task)
	}
	if err != nil {
		fail(err)
	}
	result["peakRssKiB"] = peakRssKiB()
	result["cpuMs"] = processCPUMs()
	out, err := json.Marshal(result)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "client-go-bench:", err)
	os.Exit(1)
}

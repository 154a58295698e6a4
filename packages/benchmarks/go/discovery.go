package main

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/disk"
	"k8s.io/client-go/discovery/cached/memory"
)

// runDiscovery: `runs` full discoveries (ServerGroupsAndResources), by mode:
//   - cold-aggregated: a new DiscoveryClient each run (client-go's default, aggregated discovery);
//   - cold-legacy: the same with UseLegacyDiscovery (one request per group-version);
//   - warm-memory: one memory.NewMemCacheClient, filled once, then timed;
//   - warm-disk: disk.NewCachedDiscoveryClientForConfig over cacheDir (filled once), a new
//     client each run, as kubectl makes one per process.
func runDiscovery(j job) (map[string]any, error) {
	config := restConfig(j)
	// Every request any of the clients sends, counted at the transport (requests per call).
	var requests atomic.Int64
	config.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			requests.Add(1)
			return rt.RoundTrip(r)
		})
	})
	var call func() (int, error)
	count := func(d discovery.DiscoveryInterface) (int, error) {
		_, lists, err := d.ServerGroupsAndResources()
		return len(lists), err
	}
	switch j.Mode {
	case "cold-aggregated", "cold-legacy":
		call = func() (int, error) {
			d, err := discovery.NewDiscoveryClientForConfig(config)
			if err != nil {
				return 0, err
			}
			d.UseLegacyDiscovery = j.Mode == "cold-legacy"
			return count(d)
		}
	case "warm-memory":
		d, err := discovery.NewDiscoveryClientForConfig(config)
		if err != nil {
			return nil, err
		}
		cached := memory.NewMemCacheClient(d)
		if _, err := count(cached); err != nil {
			return nil, err
		}
		call = func() (int, error) { return count(cached) }
	case "warm-disk":
		newClient := func() (discovery.CachedDiscoveryInterface, error) {
			return disk.NewCachedDiscoveryClientForConfig(config, j.CacheDir+"/discovery", j.CacheDir+"/http", time.Hour)
		}
		first, err := newClient()
		if err != nil {
			return nil, err
		}
		if _, err := count(first); err != nil {
			return nil, err
		}
		call = func() (int, error) {
			d, err := newClient()
			if err != nil {
				return 0, err
			}
			return count(d)
		}
	default:
		return nil, fmt.Errorf("unknown discovery mode %q", j.Mode)
	}
	lists := 0
	perCall := int64(0)
	times, cpus := []float64{}, []float64{}
	for i := range j.Runs + 1 {
		before := requests.Load()
		cpu := processCPUMs()
		start := time.Now()
		n, err := call()
		if err != nil {
			return nil, err
		}
		ms, used := elapsedMs(start), processCPUMs()-cpu
		lists = n
		perCall = requests.Load() - before
		if i > 0 { // the first call warms up (JIT-free Go, but the first TLS session and allocations)
			times = append(times, ms)
			cpus = append(cpus, used)
		}
	}
	return map[string]any{"timesMs": times, "callCpuMs": cpus, "lists": lists, "requests": perCall}, nil
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

// runGet: GETs of one ConfigMap, a warm-up at the highest concurrency, then each concurrency for
// durationMs: requests, wall time and this process's CPU time per concurrency.
func runGet(j job) (map[string]any, error) {
	cs, err := clientset(j)
	if err != nil {
		return nil, err
	}
	configMaps := cs.CoreV1().ConfigMaps(j.Namespace)
	loop := func(concurrency int, duration time.Duration) (int64, float64, float64, error) {
		var completed atomic.Int64
		var firstErr atomic.Value
		cpu := processCPUMs()
		start := time.Now()
		deadline := start.Add(duration)
		var wg sync.WaitGroup
		for range concurrency {
			wg.Go(func() {
				for time.Now().Before(deadline) {
					cm, err := configMaps.Get(context.Background(), j.Name, metav1.GetOptions{})
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					if cm.Name != j.Name {
						firstErr.CompareAndSwap(nil, fmt.Errorf("GET returned %q", cm.Name))
						return
					}
					completed.Add(1)
				}
			})
		}
		wg.Wait()
		if e, ok := firstErr.Load().(error); ok {
			return 0, 0, 0, e
		}
		return completed.Load(), elapsedMs(start), processCPUMs() - cpu, nil
	}
	highest := 1
	for _, c := range j.Concurrencies {
		highest = max(highest, c)
	}
	if _, _, _, err := loop(highest, time.Duration(j.WarmupMs)*time.Millisecond); err != nil {
		return nil, err
	}
	runs := []map[string]any{}
	for _, c := range j.Concurrencies {
		requests, ms, cpuMs, err := loop(c, time.Duration(j.DurationMs)*time.Millisecond)
		if err != nil {
			return nil, err
		}
		runs = append(runs, map[string]any{"concurrency": c, "requests": requests, "ms": ms, "cpuMs": cpuMs})
	}
	return map[string]any{"runs": runs}, nil
}

// runList: one warm-up LIST of every ConfigMap of the namespace, then `runs` timed ones (request
// sent until the decoded items are in memory).
func runList(j job) (map[string]any, error) {
	cs, err := clientset(j)
	if err != nil {
		return nil, err
	}
	startRss := currentRssKiB()
	// items lists the job's resource (ConfigMaps unless "pods"), decoded, and counts the items.
	items := func() (int, error) {
		if j.Resource == "pods" {
			list, err := cs.CoreV1().Pods(j.Namespace).List(context.Background(), metav1.ListOptions{})
			if err != nil {
				return 0, err
			}
			return len(list.Items), nil
		}
		list, err := cs.CoreV1().ConfigMaps(j.Namespace).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			return 0, err
		}
		return len(list.Items), nil
	}
	once := func() (float64, float64, error) {
		cpu := processCPUMs()
		start := time.Now()
		count, err := items()
		if err != nil {
			return 0, 0, err
		}
		ms := elapsedMs(start)
		if count != j.ExpectedItems {
			return 0, 0, fmt.Errorf("listed %d %s, expected %d", count, resourceName(j), j.ExpectedItems)
		}
		return ms, processCPUMs() - cpu, nil
	}
	warmup, _, err := once()
	if err != nil {
		return nil, err
	}
	times, cpus := []float64{}, []float64{}
	for range j.Runs {
		ms, cpu, err := once()
		if err != nil {
			return nil, err
		}
		times = append(times, ms)
		cpus = append(cpus, cpu)
	}
	return map[string]any{"warmupMs": warmup, "timesMs": times, "listCpuMs": cpus, "startRssKiB": startRss}, nil
}

// resourceName is the resource a list job lists.
func resourceName(j job) string {
	if j.Resource == "" {
		return "configmaps"
	}
	return j.Resource
}

// runCreate: `warmupCount` creates, then `count` creates of small ConfigMaps at `concurrency`.
func runCreate(j job) (map[string]any, error) {
	cs, err := clientset(j)
	if err != nil {
		return nil, err
	}
	configMaps := cs.CoreV1().ConfigMaps(j.Namespace)
	createMany := func(prefix string, count int) (float64, float64, error) {
		var next atomic.Int64
		var firstErr atomic.Value
		cpu := processCPUMs()
		start := time.Now()
		var wg sync.WaitGroup
		for range j.Concurrency {
			wg.Go(func() {
				for {
					i := next.Add(1) - 1
					if i >= int64(count) {
						return
					}
					cm := &corev1.ConfigMap{
						ObjectMeta: metav1.ObjectMeta{Name: prefix + strconv.FormatInt(i, 10), Labels: map[string]string{"kgo-bench": "create"}},
						Data:       map[string]string{"index": strconv.FormatInt(i, 10)},
					}
					if _, err := configMaps.Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
				}
			})
		}
		wg.Wait()
		if e, ok := firstErr.Load().(error); ok {
			return 0, 0, e
		}
		return elapsedMs(start), processCPUMs() - cpu, nil
	}
	if _, _, err := createMany(j.NamePrefix+"w-", j.WarmupCount); err != nil {
		return nil, err
	}
	ms, cpu, err := createMany(j.NamePrefix, j.Count)
	if err != nil {
		return nil, err
	}
	return map[string]any{"count": j.Count, "ms": ms, "createCpuMs": cpu}, nil
}

// runWatch: watches the namespace's ConfigMaps from resourceVersion until `events` events have
// arrived, after `warmupRuns` untimed watches. Prints "READY" on stderr once the timed watch is
// established (the live run starts writing then). Each object carries data.sent, the writer's
// wall clock in µs since the epoch: lag is the time from that write to the event's arrival here.
func runWatch(j job) (map[string]any, error) {
	cs, err := clientset(j)
	if err != nil {
		return nil, err
	}
	for range j.WarmupRuns {
		if _, err := watchOnce(cs, j, false); err != nil {
			return nil, err
		}
	}
	return watchOnce(cs, j, true)
}

func watchOnce(cs *kubernetes.Clientset, j job, announce bool) (map[string]any, error) {
	cpu := processCPUMs()
	start := time.Now()
	w, err := cs.CoreV1().ConfigMaps(j.Namespace).Watch(context.Background(), metav1.ListOptions{ResourceVersion: j.ResourceVersion})
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	if announce {
		ready(start)
	}
	lags := make([]float64, 0, j.Events)
	received := 0
	for event := range w.ResultChan() {
		now := time.Now().UnixMicro()
		if event.Type == watch.Error {
			return nil, fmt.Errorf("watch error event: %v", event.Object)
		}
		cm, ok := event.Object.(*corev1.ConfigMap)
		if !ok {
			return nil, fmt.Errorf("watch event of %T", event.Object)
		}
		if sent, err := strconv.ParseInt(cm.Data["sent"], 10, 64); err == nil {
			lags = append(lags, float64(now-sent)/1000)
		}
		received++
		if received == j.Events {
			break
		}
	}
	if received != j.Events {
		return nil, fmt.Errorf("the watch ended after %d of %d events", received, j.Events)
	}
	return map[string]any{"events": received, "ms": elapsedMs(start), "watchCpuMs": processCPUMs() - cpu, "lagsMs": lags}, nil
}

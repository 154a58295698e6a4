package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// runInformer: one shared informer on the namespace's ConfigMaps, as a client-go user writes it
// (informers.NewSharedInformerFactoryWithOptions(cs, 0, WithNamespace(ns)).Core().V1().ConfigMaps(),
// every default kept: watch-list on, as client-go v0.37 has it). The same steps as the
// JavaScript workers (src/informer-task.ts):
//
//  1. baseline: the client made, one LIST of one object through it (the connection open: a cost
//     of any first request, not of the cache), a full GC, the live heap (HeapAlloc) and VmRSS;
//  2. start → HasSynced() (polled every ms): time to synced and the CPU it took; the store must
//     hold expectedItems objects and the handler must have had as many adds;
//  3. a full GC, the live heap and VmRSS again: what the cache holds;
//  4. "READY" on stderr: the orchestrator patches `updates` cached objects, setting the label
//     updateLabel=updateToken; the handler counts the update events carrying it until all have
//     arrived: events/s from the first to the last, and the process's CPU from READY to the last.
func runInformer(j job) (map[string]any, error) {
	cs, err := clientset(j)
	if err != nil {
		return nil, err
	}
	if _, err := cs.CoreV1().ConfigMaps(j.Namespace).List(context.Background(), metav1.ListOptions{Limit: 1}); err != nil {
		return nil, err
	}
	baseHeap, baseRss := liveHeap(), currentRssKiB()

	factory := informers.NewSharedInformerFactoryWithOptions(cs, 0, informers.WithNamespace(j.Namespace))
	informer := factory.Core().V1().ConfigMaps().Informer()
	// One goroutine delivers a handler's notifications in order: no locking needed for the counts,
	// but the reads below happen on another goroutine, hence the channel.
	adds := 0
	updated := 0
	var first, last time.Time
	done := make(chan struct{})
	addsDone := make(chan int, 1)
	_, err = informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			adds++
			if adds == j.ExpectedItems {
				addsDone <- adds
			}
		},
		UpdateFunc: func(_, obj any) {
			cm, ok := obj.(*corev1.ConfigMap)
			if !ok || cm.Labels[j.UpdateLabel] != j.UpdateToken {
				return
			}
			updated++
			if updated == 1 {
				first = time.Now()
			}
			if updated == j.Updates {
				last = time.Now()
				close(done)
			}
		},
	})
	if err != nil {
		return nil, err
	}

	stop := make(chan struct{})
	defer func() {
		close(stop)
		factory.Shutdown()
	}()
	cpu := processCPUMs()
	start := time.Now()
	factory.Start(stop)
	deadline := start.Add(2 * time.Minute)
	for !informer.HasSynced() {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the informer did not sync within 2 minutes")
		}
		time.Sleep(time.Millisecond)
	}
	syncMs := elapsedMs(start)
	syncCPUMs := processCPUMs() - cpu
	if n := len(informer.GetStore().ListKeys()); n != j.ExpectedItems {
		return nil, fmt.Errorf("the synced informer holds %d ConfigMaps, expected %d", n, j.ExpectedItems)
	}
	select {
	case <-addsDone:
	case <-time.After(time.Minute):
		return nil, fmt.Errorf("the handler had %d adds a minute after sync, expected %d", adds, j.ExpectedItems)
	}
	syncedHeap, syncedRss := liveHeap(), currentRssKiB()

	ready(start)
	cpu = processCPUMs()
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		return nil, fmt.Errorf("%d of %d update events arrived within 5 minutes", updated, j.Updates)
	}
	updateCPUMs := processCPUMs() - cpu
	return map[string]any{
		"syncMs":        syncMs,
		"syncCpuMs":     syncCPUMs,
		"cached":        j.ExpectedItems,
		"baseHeapBytes": baseHeap,
		"heapBytes":     syncedHeap,
		"baseRssKiB":    baseRss,
		"rssKiB":        syncedRss,
		"events":        updated,
		"ms":            float64(last.Sub(first)) / float64(time.Millisecond),
		"updateCpuMs":   updateCPUMs,
	}, nil
}

// liveHeap is the heap in use after a full collection (HeapAlloc), bytes.
func liveHeap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

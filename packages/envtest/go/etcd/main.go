// Command etcd is etcd's own server entry point, built here from the Go module
// proxy at the version Kubernetes pins, so envtest needs no prebuilt download.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}

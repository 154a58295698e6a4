// Command client-go-urls is the oracle for @kgo/rest's URL building: it reads a JSON list of
// request recipes on stdin, builds each with client-go's own rest.Request, and prints the URL
// (or the builder error) as a JSON list. url-oracle.test.ts compares kgo's output with it.
package main

import (
	"encoding/json"
	"net/url"
	"os"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
)

type step struct {
	Op   string   `json:"op"`
	Args []string `json:"args"`
	Ms   int64    `json:"ms"`
}

type recipe struct {
	Host         string  `json:"host"`
	Group        *string `json:"group"`
	Version      string  `json:"version"`
	Verb         string  `json:"verb"`
	Steps        []step  `json:"steps"`
}

type outcome struct {
	URL   string `json:"url,omitempty"`
	Error string `json:"error,omitempty"`
}

func main() {
	var recipes []recipe
	if err := json.NewDecoder(os.Stdin).Decode(&recipes); err != nil {
		panic(err)
	}
	out := make([]outcome, 0, len(recipes))
	for _, rc := range recipes {
		base, err := url.Parse(rc.Host)
		if err != nil {
			panic(err)
		}
		apiPath := ""
		if rc.Group != nil {
			prefix := "/apis"
			if *rc.Group == "" {
				prefix = "/api"
			}
			apiPath = rest.DefaultVersionedAPIPath(prefix, schema.GroupVersion{Group: *rc.Group, Version: rc.Version})
		}
		client, err := rest.NewRESTClient(base, apiPath, rest.ClientContentConfig{}, nil, nil)
		if err != nil {
			panic(err)
		}
		r := client.Verb(rc.Verb)
		for _, s := range rc.Steps {
			switch s.Op {
			case "absPath":
				r = r.AbsPath(s.Args...)
			case "prefix":
				r = r.Prefix(s.Args...)
			case "suffix":
				r = r.Suffix(s.Args...)
			case "namespace":
				r = r.Namespace(s.Args[0])
			case "resource":
				r = r.Resource(s.Args[0])
			case "name":
				r = r.Name(s.Args[0])
			case "subresource":
				r = r.SubResource(s.Args...)
			case "param":
				r = r.Param(s.Args[0], s.Args[1])
			case "timeout":
				r = r.Timeout(time.Duration(s.Ms) * time.Millisecond)
			default:
				panic("unknown op " + s.Op)
			}
		}
		if err := r.Error(); err != nil {
			out = append(out, outcome{Error: err.Error()})
		} else {
			out = append(out, outcome{URL: r.URL().String()})
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

// Command proto-schema writes the JSON facts of the built-in Kubernetes types that their .proto
// files lack (JSON field names, omitempty/omitzero, pointer or value, inlined embedded structs,
// types with their own JSON form), read by reflection over the Go struct tags of the k8s.io
// modules this go.mod pins. @kgo/typed's protobuf generator (src/generator/protobuf) reads it
// next to the .proto files of the same modules and fails when the two disagree.
//
//	cd packages/typed/scripts/proto-schema && go run . ../../openapi/source.json > ../../protobuf/schema.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
)

// Shape is a Go type as the JSON encoder sees it.
type Shape struct {
	Kind string `json:"kind"` // string bool int32 int64 uint32 uint64 float64 bytes ref slice map ptr
	// Ref names a struct or a named type of its own (a .proto message), as the .proto package does.
	Ref  string `json:"ref,omitempty"`
	Elem *Shape `json:"elem,omitempty"`
	Key  *Shape `json:"key,omitempty"`
}

// Field is one struct field with its protobuf and JSON tags.
type Field struct {
	Go        string `json:"go"`
	JSON      string `json:"json,omitempty"` // "" with inline: fields promoted into the parent
	Inline    bool   `json:"inline,omitempty"`
	OmitEmpty bool   `json:"omitempty,omitempty"`
	OmitZero  bool   `json:"omitzero,omitempty"`
	Proto     string `json:"proto"` // the protobuf struct tag, as written
	ProtoKey  string `json:"protoKey,omitempty"`
	ProtoVal  string `json:"protoVal,omitempty"`
	Shape     *Shape `json:"shape"`
}

// Type is a named type: a struct with fields, or a named slice/map (a .proto wrapper message).
type Type struct {
	Fields []Field `json:"fields,omitempty"`
	Shape  *Shape  `json:"shape,omitempty"`
	// CustomJSON marks types with their own MarshalJSON (Time, Quantity, IntOrString, …).
	CustomJSON bool `json:"customJSON,omitempty"`
}

// Kind is a top-level kind of a group-version and the type that carries it.
type Kind struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Type       string `json:"type"`
}

type output struct {
	Comment    string          `json:"//"`
	Kubernetes string          `json:"kubernetes"`
	Kinds      []Kind          `json:"kinds"`
	Types      map[string]Type `json:"types"`
}

var marshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()

func protoName(t reflect.Type) string {
	pkg := strings.NewReplacer("/", ".", "-", "_").Replace(t.PkgPath())
	return pkg + "." + t.Name()
}

type walker struct{ types map[string]Type }

func (w *walker) shape(t reflect.Type) *Shape {
	if t.Name() != "" && t.PkgPath() != "" && (t.Kind() == reflect.Struct || t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 || t.Kind() == reflect.Map) {
		name := protoName(t)
		if _, seen := w.types[name]; !seen {
			w.types[name] = Type{}
			w.types[name] = w.named(t)
		}
		return &Shape{Kind: "ref", Ref: name}
	}
	if t.Kind() != reflect.Pointer && (t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler)) {
		panic(fmt.Sprintf("unnamed or basic type %s has its own MarshalJSON", t))
	}
	switch t.Kind() {
	case reflect.String:
		return &Shape{Kind: "string"}
	case reflect.Bool:
		return &Shape{Kind: "bool"}
	case reflect.Int32:
		return &Shape{Kind: "int32"}
	case reflect.Int64, reflect.Int:
		return &Shape{Kind: "int64"}
	case reflect.Uint32:
		return &Shape{Kind: "uint32"}
	case reflect.Uint64:
		return &Shape{Kind: "uint64"}
	case reflect.Float64:
		return &Shape{Kind: "float64"}
	case reflect.Pointer:
		return &Shape{Kind: "ptr", Elem: w.shape(t.Elem())}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return &Shape{Kind: "bytes"}
		}
		return &Shape{Kind: "slice", Elem: w.shape(t.Elem())}
	case reflect.Map:
		return &Shape{Kind: "map", Key: w.shape(t.Key()), Elem: w.shape(t.Elem())}
	}
	panic(fmt.Sprintf("unsupported Go type %s", t))
}

func (w *walker) named(t reflect.Type) Type {
	custom := t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler)
	if t.Kind() != reflect.Struct {
		// A named slice or map: its shape, as an unnamed one.
		var s *Shape
		switch t.Kind() {
		case reflect.Slice:
			s = &Shape{Kind: "slice", Elem: w.shape(t.Elem())}
		case reflect.Map:
			s = &Shape{Kind: "map", Key: w.shape(t.Key()), Elem: w.shape(t.Elem())}
		}
		return Type{Shape: s, CustomJSON: custom}
	}
	out := Type{CustomJSON: custom}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		proto, hasProto := f.Tag.Lookup("protobuf")
		jsonTag, hasJSON := f.Tag.Lookup("json")
		if !hasProto || proto == "-" {
			if hasJSON && jsonTag != "-" && !(f.Anonymous && f.Type.Name() == "TypeMeta") && !custom && f.IsExported() {
				panic(fmt.Sprintf("%s.%s has a JSON name but no protobuf tag: it would be lost over protobuf", t, f.Name))
			}
			continue
		}
		parts := strings.Split(jsonTag, ",")
		field := Field{Go: f.Name, Proto: proto, ProtoKey: f.Tag.Get("protobuf_key"), ProtoVal: f.Tag.Get("protobuf_val"), Shape: w.shape(f.Type)}
		if jsonTag == "-" && !custom {
			panic(fmt.Sprintf("%s.%s is protobuf-only (json:\"-\")", t, f.Name))
		}
		field.JSON = parts[0]
		if field.JSON == "" {
			if !f.Anonymous {
				field.JSON = f.Name
			} else {
				field.Inline = true
			}
		}
		for _, option := range parts[1:] {
			switch option {
			case "omitempty":
				field.OmitEmpty = true
			case "omitzero":
				field.OmitZero = true
			case "inline", "string":
				if option == "string" {
					panic(fmt.Sprintf("%s.%s: json ,string is not supported", t, f.Name))
				}
			}
		}
		out.Fields = append(out.Fields, field)
	}
	sort.SliceStable(out.Fields, func(a, b int) bool { return tagNumber(out.Fields[a].Proto) < tagNumber(out.Fields[b].Proto) })
	return out
}

func tagNumber(tag string) int {
	n, _ := strconv.Atoi(strings.Split(tag, ",")[1])
	return n
}

func main() {
	var source struct {
		GitVersion    string   `json:"gitVersion"`
		GroupVersions []string `json:"groupVersions"`
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(raw, &source); err != nil {
		panic(err)
	}
	s := runtime.NewScheme()
	if err := scheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := apiregistrationv1.AddToScheme(s); err != nil {
		panic(err)
	}
	w := &walker{types: map[string]Type{}}
	out := output{
		Comment:    "Generated by packages/typed/scripts/proto-schema (go run . ../../openapi/source.json). DO NOT EDIT.",
		Kubernetes: source.GitVersion,
		Types:      w.types,
	}
	for _, path := range source.GroupVersions {
		parts := strings.Split(path, "/")
		gv := schema.GroupVersion{Version: parts[1]}
		if parts[0] == "apis" {
			gv = schema.GroupVersion{Group: parts[1], Version: parts[2]}
		}
		known := s.KnownTypes(gv)
		if len(known) == 0 {
			panic(fmt.Sprintf("no Go types registered for %s", gv))
		}
		for kind, t := range known {
			// Options and meta kinds every group-version registers stay JSON (query parameters, Status).
			if strings.HasPrefix(t.PkgPath(), "k8s.io/apimachinery/") {
				continue
			}
			out.Kinds = append(out.Kinds, Kind{APIVersion: gv.String(), Kind: kind, Type: w.shape(t).Ref})
		}
	}
	sort.Slice(out.Kinds, func(a, b int) bool {
		return out.Kinds[a].APIVersion+" "+out.Kinds[a].Kind < out.Kinds[b].APIVersion+" "+out.Kinds[b].Kind
	})
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", " ")
	if err := encoder.Encode(out); err != nil {
		panic(err)
	}
}

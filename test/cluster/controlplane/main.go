// Command controlplane runs one Kubernetes control-plane component chosen by its first argument, so a
// single link step produces all of them (hyperkube style):
//
//	controlplane apiserver|controller-manager|scheduler [upstream flags...]
//	controlplane etcd --data-dir DIR --listen-client-url URL --listen-peer-url URL
//	controlplane pki --dir DIR [--user NAME --group G]...
package main

import (
	"fmt"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: controlplane apiserver|controller-manager|scheduler|etcd|pki [flags]")
		os.Exit(2)
	}
	sub := os.Args[1]
	args := os.Args[2:]
	// cobra reads os.Args[1:]: drop the subcommand so upstream flag parsing sees only its flags.
	os.Args = append([]string{"kube-" + sub}, args...)
	switch sub {
	case "apiserver":
		os.Exit(cli.Run(apiserver.NewAPIServerCommand()))
	case "controller-manager":
		os.Exit(cli.Run(controllermanager.NewControllerManagerCommand()))
	case "scheduler":
		os.Exit(cli.Run(scheduler.NewSchedulerCommand()))
	case "etcd":
		os.Exit(runEtcd(args))
	case "pki":
		os.Exit(runPKI(args))
	default:
		fmt.Fprintf(os.Stderr, "unknown component %q\n", sub)
		os.Exit(2)
	}
}

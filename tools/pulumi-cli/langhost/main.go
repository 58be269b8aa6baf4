// Command pulumi-language-python is Lookout's Python language host for the Pulumi CLI.
//
// Upstream builds this host from the Go module
// github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, which the module proxy reachable here
// refuses (403 "This module version is not available"). This small gRPC server stands in for it: it speaks
// the engine's LanguageRuntime protocol with the sdk/v3 module's own stubs (pulumirpc) and runs the program
// as upstream does, through the official pulumi-language-python-exec shim (copied from the sdk/v3 module,
// beside this binary) on the project's virtualenv.
//
// It is written in Go, like upstream's, because the engine starts it twice for every run of a program (once
// to run it, once for the update's runtime metadata, pkg/cmd/pulumi/metadata/metadata.go): a Python host
// cost about 0.2 s of CPU a start (interpreter, grpc and protobuf imports), this one a few milliseconds.
//
// The CLI starts it in the project directory as `pulumi-language-python [flags] ENGINE_ADDRESS` and reads
// the port from the first line of stdout; runtime options (virtualenv...) arrive with each request.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// userActionableExit is the shim's exit code for "an error was already shown to the user" (upstream's
// convention, sdk/python/cmd/pulumi-language-python-exec).
const userActionableExit = 32

// engineAddress is the last positional argument; the flags before it (-root=, -tracing...) vary.
func engineAddress(args []string) string {
	address := ""
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") {
			address = arg
		}
	}
	return address
}

// here is the directory of this binary (links resolved): the exec shim and VERSION sit beside it.
func here() string {
	self, err := os.Executable()
	if err == nil {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			return filepath.Dir(resolved)
		}
	}
	return "."
}

// interpreter is the program's Python: the `virtualenv` runtime option (relative to the project root),
// else $PULUMI_PYTHON_CMD, else python3 on PATH.
func interpreter(info *pulumirpc.ProgramInfo, root string) (string, error) {
	venv := ""
	if options := info.GetOptions(); options != nil {
		if value, ok := options.AsMap()["virtualenv"].(string); ok {
			venv = value
		}
	}
	if venv == "" {
		if command := os.Getenv("PULUMI_PYTHON_CMD"); command != "" {
			return command, nil
		}
		return "python3", nil
	}
	if !filepath.IsAbs(venv) {
		venv = filepath.Join(root, venv)
	}
	python := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		return "", fmt.Errorf("the 'virtualenv' option in Pulumi.yaml is set to %q, but %s does not exist; "+
			"create it first (make venv)", venv, python)
	}
	return python, nil
}

// programs are the processes Run started. The engine ends a plugin with SIGINT to its process group and
// kills the group 5 seconds later (sdk/go/common/resource/plugin/plugin.go, `kill`). After a failed step
// the program still waits on the engine and does not end on SIGINT: a host that waited for it kept the
// engine waiting those 5 seconds on every failed preview. This host ends its programs and exits at once.
type programs struct {
	mu      sync.Mutex
	running map[*exec.Cmd]struct{}
}

func (p *programs) run(cmd *exec.Cmd) (int, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	p.mu.Lock()
	p.running[cmd] = struct{}{}
	p.mu.Unlock()
	err := cmd.Wait()
	p.mu.Lock()
	delete(p.running, cmd)
	p.mu.Unlock()
	var exited *exec.ExitError
	if errors.As(err, &exited) {
		return exited.ExitCode(), nil
	}
	return 0, err
}

// end kills what still runs: it had its SIGINT with ours, and the engine would SIGKILL it next.
func (p *programs) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for cmd := range p.running {
		_ = cmd.Process.Kill()
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engine   string
	dir      string
	version  string
	programs *programs
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: h.version}, nil
}

func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages: dynamic providers run in the bundled `pulumi-python` plugin; no package is needed.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// About names the program's interpreter and its version (the engine asks on every run, for the update's
// metadata). `python -V` starts no site packages: a few milliseconds.
func (h *host) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	root := req.GetInfo().GetRootDirectory()
	if root == "" {
		root, _ = os.Getwd()
	}
	python, err := interpreter(req.GetInfo(), root)
	if err != nil {
		return nil, err
	}
	if found, err := exec.LookPath(python); err == nil {
		python = found
	}
	out, err := exec.Command(python, "-V").Output()
	if err != nil {
		return nil, fmt.Errorf("%s -V: %w", python, err)
	}
	version := strings.TrimPrefix(strings.TrimSpace(string(out)), "Python ")
	return &pulumirpc.AboutResponse{Executable: python, Version: version}, nil
}

func (h *host) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	root := info.GetRootDirectory()
	if root == "" {
		root = req.GetPwd()
	}
	python, err := interpreter(info, root)
	if err != nil {
		return nil, err
	}
	program := info.GetEntryPoint()
	if program == "" {
		program = req.GetProgram()
	}
	if program == "" {
		program = "."
	}
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	target := programDir
	if program != "." {
		target = filepath.Join(programDir, program)
	}
	dryRun := fmt.Sprint(req.GetDryRun())
	args := []string{
		"-u",
		filepath.Join(h.dir, "pulumi-language-python-exec"),
		"--project=" + req.GetProject(),
		"--root_directory=" + root,
		"--stack=" + req.GetStack(),
		"--pwd=" + programDir,
		"--dry_run=" + dryRun,
		fmt.Sprintf("--parallel=%d", req.GetParallel()),
		"--monitor=" + req.GetMonitorAddress(),
		"--engine=" + h.engine,
		"--organization=" + req.GetOrganization(),
		target,
	}
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := []string{}
	for _, entry := range os.Environ() {
		if !strings.HasPrefix(entry, "PYTHONHOME=") && !strings.HasPrefix(entry, "PATH=") {
			env = append(env, entry)
		}
	}
	env = append(env,
		"PATH="+filepath.Dir(python)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_PROJECT="+req.GetProject(),
		"PULUMI_STACK="+req.GetStack(),
		"PULUMI_ORGANIZATION="+req.GetOrganization(),
		"PULUMI_DRY_RUN="+dryRun,
		"PULUMI_MONITOR="+req.GetMonitorAddress(),
		"PULUMI_ENGINE="+h.engine,
		fmt.Sprintf("PULUMI_PARALLEL=%d", req.GetParallel()),
	)
	cmd := exec.Command(python, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// The program's output is ours, which the engine shows as the program's.
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	code, err := h.programs.run(cmd)
	switch {
	case err != nil:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the program: %v", err)}, nil
	case code == 0:
		return &pulumirpc.RunResponse{}, nil
	case code == userActionableExit:
		return &pulumirpc.RunResponse{Bail: true}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
	}
}

func main() {
	dir := here()
	version := "0.0.0"
	if raw, err := os.ReadFile(filepath.Join(dir, "VERSION")); err == nil {
		version = strings.TrimSpace(string(raw))
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
	running := &programs{running: map[*exec.Cmd]struct{}{}}
	server := grpc.NewServer()
	pulumirpc.RegisterLanguageRuntimeServer(server, &host{
		engine: engineAddress(os.Args[1:]), dir: dir, version: version, programs: running,
	})
	// Listening before the port is announced: the engine may end the host as soon as it knows it.
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-interrupted // the engine interrupts its plugins when it is done with them
		running.end()
		os.Exit(0)
	}()
	fmt.Println(listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

# Shakeout: common tasks. `make help` lists them.
.DEFAULT_GOAL := help
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: help chat test race ci lint build bench load fmt

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

chat: ## chat with the bot in the terminal (./shakeout.db)
	go run . chat

test: ## run the tests with the race detector (the README's test command)
	go test -race -timeout 30m ./...

ci: ## run exactly what CI runs
	bash .ci/run

lint: ## gofmt, go vet and staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	go vet ./...
	staticcheck ./...

fmt: ## format the code
	gofmt -w $$(git ls-files '*.go')

build: ## build a static binary ./shakeout
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o shakeout .

bench: ## run the benchmarks
	go test -run '^$$' -bench . -benchmem ./...

load: ## run the load tool at club-network scale (see BENCHMARKS.md)
	go run ./internal/loadtest -members 10000 -clubs 200

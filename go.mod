module github.com/etherlearn/etherlearn

go 1.26

require (
	github.com/gopacket/gopacket v1.7.7
	go.bug.st/serial v1.8.0
)

require (
	fyne.io/fyne/v2 v2.8.1 // indirect
	github.com/golang/freetype v0.0.0-20170609003504-e2365dfdc4a0 // indirect
	github.com/wcharczuk/go-chart/v2 v2.1.2 // indirect
	golang.org/x/image v0.24.0 // indirect
	golang.org/x/net v0.55.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)

package discordtest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Attachment is a file the fake holds for a message or a slash command's
// attachment option, served at its URL on the fake's own address as
// Discord's CDN serves attachments.
type Attachment struct {
	ID       string
	Filename string
	Size     int
	URL      string
}

func (a Attachment) wire() map[string]any {
	return map[string]any{"id": a.ID, "filename": a.Filename, "size": a.Size, "url": a.URL,
		"proxy_url": a.URL, "content_type": "application/octet-stream"}
}

// AddAttachment stores data as a file named filename and returns it; GET on
// its URL answers the bytes.
func (s *Server) AddAttachment(filename string, data []byte) Attachment {
	s.mu.Lock()
	id := s.nextID()
	s.mu.Unlock()
	s.files.Store(id, append([]byte(nil), data...))
	return Attachment{ID: id, Filename: filename, Size: len(data),
		URL: s.URL() + "/attachments/" + id + "/" + filename}
}

// AttachmentOption is an attachment (type 11) option value: the id, with the
// file in resolved.attachments, as Discord sends it.
func AttachmentOption(name string, a Attachment) CommandOption {
	return CommandOption{Name: name, Type: 11, Value: a.ID, attachment: &a}
}

// DMMessage is a MESSAGE_CREATE payload from user in the DM channel, with
// files attached; pass it to Dispatch("MESSAGE_CREATE", ...).
func (s *Server) DMMessage(channelID string, user User, content string, files ...Attachment) map[string]any {
	s.mu.Lock()
	id := s.nextID()
	s.mu.Unlock()
	atts := []any{}
	for _, f := range files {
		atts = append(atts, f.wire())
	}
	return map[string]any{"id": id, "channel_id": channelID, "content": content, "type": 0,
		"timestamp": time.Now().UTC().Format(time.RFC3339), "author": user.wire(), "attachments": atts}
}

// AttachmentDownloads counts GETs of attachment URLs.
func (s *Server) AttachmentDownloads() int { return int(s.fileGets.Load()) }

// serveAttachment answers GET /attachments/<id>/<name>.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/attachments/"), "/")
	v, ok := s.files.Load(id)
	if !ok || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	s.fileGets.Add(1)
	data := v.([]byte)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

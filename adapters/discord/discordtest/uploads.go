package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Upload is one file of a multipart request (a message with an attachment).
type Upload struct {
	Field       string // the form field, "files[0]" for discordgo
	Name        string // the file name, which an embed names as attachment://Name
	ContentType string
	Data        []byte
}

// MaxUploadBytes is the largest file a bot may attach without a boosted
// server: 10 MiB.
const MaxUploadBytes = 10 << 20

// ViolationAttachmentRef is an embed naming an attachment://file that the
// request did not upload: Discord shows no image then.
const ViolationAttachmentRef ViolationKind = "attachment_ref"

var attachmentRef = regexp.MustCompile(`attachment://([^"\\]+)`)

// checkUploads refuses a file over the size limit, as Discord does, and
// records an embed that names a file the request did not carry.
func (s *Server) checkUploads(r Route, req *request) *reply {
	names := map[string]bool{}
	for _, u := range req.uploads {
		if len(u.Data) > MaxUploadBytes {
			rep := apiError(http.StatusRequestEntityTooLarge, 40005, "Request entity too large")
			return &rep
		}
		names[u.Name] = true
	}
	var p struct {
		Embeds json.RawMessage `json:"embeds"`
	}
	if json.Unmarshal(req.body, &p) != nil {
		return nil
	}
	for _, m := range attachmentRef.FindAllStringSubmatch(string(p.Embeds), -1) {
		if !names[m[1]] {
			s.violate(ViolationAttachmentRef, r, fmt.Sprintf("an embed shows attachment://%s, which the request did not upload", m[1]))
		}
	}
	return nil
}

// EmbedImage returns the image URL of the message's first embed, "" when
// it has none.
func (m Message) EmbedImage() string {
	var es []struct {
		Image *struct {
			URL string `json:"url"`
		} `json:"image"`
	}
	if json.Unmarshal(m.Embeds, &es) != nil || len(es) == 0 || es[0].Image == nil {
		return ""
	}
	return es[0].Image.URL
}

// EmbedDescription returns the description of the message's first embed.
func (m Message) EmbedDescription() string {
	var es []struct {
		Description string `json:"description"`
	}
	if json.Unmarshal(m.Embeds, &es) != nil || len(es) == 0 {
		return ""
	}
	return es[0].Description
}

// UploadsTo returns the files uploaded with requests whose path names the
// channel or interaction, in order.
func (s *Server) UploadsTo(pathPart string) []Upload {
	var out []Upload
	for _, c := range s.Calls() {
		if strings.Contains(c.Path, pathPart) {
			out = append(out, c.Uploads...)
		}
	}
	return out
}

package telegramtest

import (
	"net/http"
	"strconv"
	"strings"
)

// MaxDownload is the Bot API's limit on files a bot may download (getFile
// refuses larger ones).
const MaxDownload = 20 << 20

// Document is the Bot API Document object.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// storedFile is a file the fake serves: its bytes, or for a file over the
// download limit only its stated size.
type storedFile struct {
	path string
	data []byte
	size int64
}

// AddFile stores data as a document named name and returns it, for
// PrivateDocument and GroupDocument. getFile answers its path and GET
// /file/bot<token>/<path> its bytes.
func (s *Server) AddFile(name string, data []byte) Document {
	return s.addFile(name, append([]byte(nil), data...), int64(len(data)))
}

// AddLargeFile stands for a document of size bytes that holds no data here:
// getFile refuses it when it is over MaxDownload, as the Bot API does.
func (s *Server) AddLargeFile(name string, size int64) Document {
	return s.addFile(name, nil, size)
}

func (s *Server) addFile(name string, data []byte, size int64) Document {
	n := s.fileSeq.Add(1)
	id := "BQACAgIAAx" + strconv.FormatInt(n, 10)
	s.files.Store(id, storedFile{path: "documents/file_" + strconv.FormatInt(n, 10) + fileExt(name), data: data, size: size})
	return Document{FileID: id, FileUniqueID: "AgAD" + strconv.FormatInt(n, 10), FileName: name,
		MimeType: "application/octet-stream", FileSize: size}
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.ContainsAny(name[i:], "/\\") {
		return name[i:]
	}
	return ""
}

// PrivateDocument builds a document message from a user in their private
// chat with the bot, with an optional caption.
func PrivateDocument(from User, doc Document, caption string) Update {
	u := PrivateText(from, "")
	u.Message.Text, u.Message.Entities = "", nil
	u.Message.Document, u.Message.Caption, u.Message.CaptionEntities = &doc, caption, ParseEntities(caption)
	return u
}

// GroupDocument builds a document message in a group; address the bot in
// the caption ("@bot") or with a reply for it to be for the bot.
func GroupDocument(chat Chat, from User, doc Document, caption string) Update {
	u := GroupText(chat, from, "")
	u.Message.Text, u.Message.Entities = "", nil
	u.Message.Document, u.Message.Caption, u.Message.CaptionEntities = &doc, caption, ParseEntities(caption)
	return u
}

// FileDownloads counts successful downloads of stored files.
func (s *Server) FileDownloads() int { return int(s.fileGets.Load()) }

// getFile answers the Bot API getFile method.
func (s *Server) getFile(p params) response {
	id := p["file_id"]
	v, ok := s.files.Load(id)
	if !ok {
		return badRequest("invalid file_id")
	}
	f := v.(storedFile)
	if f.size > MaxDownload {
		return badRequest("file is too big")
	}
	return okResult(map[string]any{"file_id": id, "file_unique_id": "AgAD" + strings.TrimPrefix(id, "BQACAgIAAx"),
		"file_size": f.size, "file_path": f.path}, "")
}

// serveFile answers GET /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.token || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	var found *storedFile
	s.files.Range(func(_, v any) bool {
		if f := v.(storedFile); f.path == path && f.data != nil {
			found = &f
			return false
		}
		return true
	})
	if found == nil {
		http.NotFound(w, r)
		return
	}
	s.fileGets.Add(1)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(found.data)))
	_, _ = w.Write(found.data)
}

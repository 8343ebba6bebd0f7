package telegramtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestGetFileAndDownload(t *testing.T) {
	s := New(t)
	doc := s.AddFile("run.fit", []byte("FITDATA"))
	big := s.AddLargeFile("huge.tcx", MaxDownload+1)
	get := func(path string) (int, string) {
		resp, err := http.Get(s.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/bot" + s.Token() + "/getFile?file_id=" + url.QueryEscape(doc.FileID))
	var r struct {
		OK     bool `json:"ok"`
		Result struct {
			FilePath string `json:"file_path"`
			FileSize int64  `json:"file_size"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil || code != 200 || !r.OK || !strings.HasSuffix(r.Result.FilePath, ".fit") || r.Result.FileSize != 7 {
		t.Fatalf("getFile = %d %s", code, body)
	}
	if code, body := get("/file/bot" + s.Token() + "/" + r.Result.FilePath); code != 200 || body != "FITDATA" {
		t.Fatalf("download = %d %q", code, body)
	}
	if code, _ := get("/file/botWRONG/" + r.Result.FilePath); code != 404 {
		t.Errorf("download with a wrong token = %d", code)
	}
	if code, body := get("/bot" + s.Token() + "/getFile?file_id=" + url.QueryEscape(big.FileID)); code != 400 || !strings.Contains(body, "file is too big") {
		t.Errorf("getFile over 20 MB = %d %s", code, body)
	}
	if s.FileDownloads() != 1 {
		t.Errorf("downloads = %d", s.FileDownloads())
	}
	u := PrivateDocument(User{ID: 7, FirstName: "Maya"}, doc, "")
	if raw, _ := json.Marshal(u); !strings.Contains(string(raw), `"document":{"file_id"`) || strings.Contains(string(raw), `"text"`) {
		t.Errorf("document update = %s", raw)
	}
}

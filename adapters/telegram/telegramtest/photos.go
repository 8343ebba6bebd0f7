package telegramtest

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/jpeg" // Telegram takes JPEG photos too
	_ "image/png"
	"io"
	"mime/multipart"
	"strings"
	"time"
)

// uploadPrefix marks, in a call's parameters, the bytes of a file sent as
// a multipart file part: "upload:photo" holds the content of the part named
// "photo", whose own parameter reads "attach://<file name>".
const uploadPrefix = "upload:"

// readUpload keeps a multipart file part's content among the parameters.
func readUpload(vals map[string]string, field string, fh *multipart.FileHeader) error {
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	vals[uploadPrefix+field] = string(b)
	return nil
}

// Telegram's photo limits (Bot API sendPhoto).
const (
	// MaxCaption is the caption limit in UTF-16 code units.
	MaxCaption = 1024
	// MaxPhotoBytes is the largest photo upload.
	MaxPhotoBytes = 10 << 20
	// MaxPhotoSides is the largest width plus height.
	MaxPhotoSides = 10000
	// MaxPhotoRatio is the largest ratio of the longer side to the shorter.
	MaxPhotoRatio = 20
)

// SentPhoto is one photo the bot delivered with sendPhoto.
type SentPhoto struct {
	MessageID int
	ChatID    int64
	ThreadID  int
	// Multipart is true when the photo came as a file part of a
	// multipart/form-data request, the only way to upload one.
	Multipart bool
	FileName  string
	Data      []byte
	// Width and Height are read from the uploaded image.
	Width, Height int
	Caption       string
	ReplyTo       int
	ReplyMarkup   json.RawMessage
	// InlineKeyboard is the parsed inline keyboard; nil when none.
	InlineKeyboard [][]InlineKeyboardButton
	Time           time.Time
	// FailedResponse is set when the photo was delivered but the client
	// was answered with an error (AcceptedThenFailed).
	FailedResponse bool
}

// PhotoSize is the Bot API PhotoSize object.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// photoMessage is a Message with a photo, as sendPhoto answers it.
type photoMessage struct {
	Message
	Photo   []PhotoSize `json:"photo"`
	Caption string      `json:"caption,omitempty"`
}

// Photos returns every delivered photo, in order.
func (s *Server) Photos() []SentPhoto {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentPhoto(nil), s.photos...)
}

// PhotosTo returns the delivered photos of one chat.
func (s *Server) PhotosTo(chatID int64) []SentPhoto {
	var out []SentPhoto
	for _, p := range s.Photos() {
		if p.ChatID == chatID {
			out = append(out, p)
		}
	}
	return out
}

// sendPhoto takes an uploaded photo as Telegram does: a multipart file part
// (a file_id or URL of a photo this server never saw is refused), a
// caption of at most 1,024 UTF-16 units, an image that decodes, within the
// size, side and ratio limits. It counts towards the flood limits like any
// message.
func (s *Server) sendPhoto(p params) response {
	const method = "sendPhoto"
	chatID, bad := requireChat(p)
	if bad != nil {
		return *bad
	}
	data, uploaded := p[uploadPrefix+"photo"]
	if !uploaded {
		return s.rejectLocked(method, chatID, "Bad Request: wrong file identifier/HTTP URL specified")
	}
	if len(data) > MaxPhotoBytes {
		return s.rejectLocked(method, chatID, "Bad Request: PHOTO_INVALID_DIMENSIONS")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader([]byte(data)))
	if err != nil {
		return s.rejectLocked(method, chatID, "Bad Request: IMAGE_PROCESS_FAILED")
	}
	long, short := max(cfg.Width, cfg.Height), min(cfg.Width, cfg.Height)
	if cfg.Width+cfg.Height > MaxPhotoSides || short == 0 || long > MaxPhotoRatio*short {
		return s.rejectLocked(method, chatID, "Bad Request: PHOTO_INVALID_DIMENSIONS")
	}
	caption := p["caption"]
	if n := utf16Units(caption); n > MaxCaption {
		return s.rejectLocked(method, chatID, "Bad Request: message caption is too long")
	}
	kb, errDesc := s.parseMarkup(p["reply_markup"])
	if errDesc != "" {
		return s.rejectLocked(method, chatID, errDesc)
	}
	replyTo := 0
	if raw := p["reply_parameters"]; raw != "" {
		var rp replyParameters
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return badRequest("can't parse reply parameters JSON object")
		}
		if _, ok := s.messages[msgKey{chatID, rp.MessageID}]; ok || !rp.AllowSendingWithoutReply {
			if !ok {
				return badRequest("message to be replied not found")
			}
			replyTo = rp.MessageID
		}
	}
	thread := int(p.int64("message_thread_id"))
	if desc := s.topicRefusalLocked(chatID, thread); desc != "" {
		return badRequest(desc)
	}
	now := s.now()
	bot := s.Bot()
	msg := Message{
		MessageID:       s.nextMessageIDLocked(chatID),
		MessageThreadID: thread,
		IsTopicMessage:  thread != 0,
		From:            &bot,
		Date:            now.Unix(),
		Chat:            s.chatLocked(chatID),
		ReplyMarkup:     kb,
	}
	s.messages[msgKey{chatID, msg.MessageID}] = msg
	name := strings.TrimPrefix(p["photo"], "attach://")
	sp := SentPhoto{
		MessageID: msg.MessageID, ChatID: chatID, ThreadID: thread, Multipart: true, FileName: name,
		Data: []byte(data), Width: cfg.Width, Height: cfg.Height, Caption: caption, ReplyTo: replyTo, Time: now,
	}
	if raw := p["reply_markup"]; raw != "" {
		sp.ReplyMarkup = json.RawMessage(raw)
	}
	if kb != nil {
		sp.InlineKeyboard = kb.InlineKeyboard
	}
	s.photos = append(s.photos, sp)
	s.countSendLocked(chatID, now)
	s.notifyLocked()
	id := name + "-" + time.Unix(0, now.UnixNano()).Format("150405.000000000")
	return okResult(photoMessage{Message: msg, Caption: caption,
		Photo: []PhotoSize{{FileID: id, FileUniqueID: id, Width: cfg.Width, Height: cfg.Height, FileSize: len(data)}}}, "")
}

// utf16Units counts s as Telegram measures text lengths.
func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

package discordtest

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"time"
)

// Route names one REST route of the fake as "METHOD /path/{param}", relative
// to /api/v9. Faults and limits are configured per Route.
type Route string

// Routes served by the fake.
const (
	RouteGateway             Route = "GET /gateway"
	RouteGatewayBot          Route = "GET /gateway/bot"
	RouteGetGlobalCommands   Route = "GET /applications/{application}/commands"
	RoutePutGlobalCommands   Route = "PUT /applications/{application}/commands"
	RouteGetGuildCommands    Route = "GET /applications/{application}/guilds/{guild}/commands"
	RoutePutGuildCommands    Route = "PUT /applications/{application}/guilds/{guild}/commands"
	RouteInteractionCallback Route = "POST /interactions/{interaction}/{token}/callback"
	RouteGetOriginal         Route = "GET /webhooks/{application}/{token}/messages/@original"
	RouteEditOriginal        Route = "PATCH /webhooks/{application}/{token}/messages/@original"
	RouteFollowup            Route = "POST /webhooks/{application}/{token}"
	RouteEditFollowup        Route = "PATCH /webhooks/{application}/{token}/messages/{message}"
	RouteCreateMessage       Route = "POST /channels/{channel}/messages"
	RouteEditMessage         Route = "PATCH /channels/{channel}/messages/{message}"
	RouteCreateDM            Route = "POST /users/@me/channels"
	RouteGetMe               Route = "GET /users/@me"
	RouteGetGuild            Route = "GET /guilds/{guild}"
	RouteGetMember           Route = "GET /guilds/{guild}/members/{user}"
	RouteGetRoles            Route = "GET /guilds/{guild}/roles"
)

// defaultLimits are the buckets used unless WithRouteLimit overrides them.
// Routes not listed get 1000 per second (effectively unlimited).
var defaultLimits = map[Route]Limit{
	RouteCreateMessage:     {5, 5 * time.Second},
	RouteEditMessage:       {5, 5 * time.Second},
	RouteCreateDM:          {5, 5 * time.Second},
	RouteFollowup:          {5, 2 * time.Second},
	RouteEditOriginal:      {5, 2 * time.Second},
	RouteEditFollowup:      {5, 2 * time.Second},
	RoutePutGlobalCommands: {5, 20 * time.Second},
	RoutePutGuildCommands:  {5, 20 * time.Second},
	RouteGetGuild:          {5, time.Second},
	RouteGetMember:         {5, time.Second},
	RouteGetRoles:          {5, time.Second},
	RouteGetMe:             {5, time.Second},
}

type routeDef struct {
	name   Route
	method string
	segs   []string
	major  []string // parameters that split the bucket
	auth   bool     // needs "Bot <token>"
	hash   string
	handle func(*Server, *request) reply
}

var routes []*routeDef

func init() {
	add := func(r Route, auth bool, major []string, h func(*Server, *request) reply) {
		method, path, _ := strings.Cut(string(r), " ")
		sum := sha1.Sum([]byte(r))
		routes = append(routes, &routeDef{
			name: r, method: method, segs: strings.Split(strings.Trim(path, "/"), "/"),
			major: major, auth: auth, hash: hex.EncodeToString(sum[:8]), handle: h,
		})
	}
	app := []string{"application", "token"}
	add(RouteGateway, false, nil, (*Server).getGateway)
	add(RouteGatewayBot, true, nil, (*Server).getGatewayBot)
	add(RouteGetGlobalCommands, true, []string{"application"}, (*Server).getCommands)
	add(RoutePutGlobalCommands, true, []string{"application"}, (*Server).putCommands)
	add(RouteGetGuildCommands, true, []string{"application", "guild"}, (*Server).getCommands)
	add(RoutePutGuildCommands, true, []string{"application", "guild"}, (*Server).putCommands)
	add(RouteInteractionCallback, false, []string{"interaction"}, (*Server).interactionCallback)
	add(RouteGetOriginal, false, app, (*Server).getOriginal)
	add(RouteEditOriginal, false, app, (*Server).editWebhookMessage)
	add(RouteFollowup, false, app, (*Server).followup)
	add(RouteEditFollowup, false, app, (*Server).editWebhookMessage)
	add(RouteCreateMessage, true, []string{"channel"}, (*Server).createMessage)
	add(RouteEditMessage, true, []string{"channel"}, (*Server).editMessage)
	add(RouteCreateDM, true, nil, (*Server).createDM)
	add(RouteGetMe, true, nil, (*Server).getMe)
	add(RouteGetGuild, true, []string{"guild"}, (*Server).getGuild)
	add(RouteGetMember, true, []string{"guild"}, (*Server).getMember)
	add(RouteGetRoles, true, []string{"guild"}, (*Server).getRoles)
}

// matchRoute finds the route for method and path (without /api/v9). Literal
// segments win over parameters because routes are tried in order and the
// literal ones (@original, @me) come first.
func matchRoute(method, path string) (*routeDef, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range routes {
		if rt.method != method || len(rt.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, p := range rt.segs {
			if strings.HasPrefix(p, "{") {
				if segs[i] == "" {
					ok = false
					break
				}
				params[strings.Trim(p, "{}")] = segs[i]
			} else if p != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params
		}
	}
	return nil, nil
}

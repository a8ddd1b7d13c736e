#include "api/http_server.h"

#include <strings.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <sstream>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include "api/error_response.h"
#include "api/query_params.h"
#include "api/request_executor.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "service/json_input.h"
#include "service/log.h"

namespace restitution {

struct ServerState {
  ServerState(App& a, int workers, size_t queue_limit) : app(a), pool(workers, queue_limit) {}
  App& app;
  WorkerPool pool;
  std::atomic<bool> accepting{true};
};

namespace {

using Pistache::Http::Code;
using Pistache::Http::ResponseWriter;

const char* MethodName(Pistache::Http::Method method) {
  switch (method) {
    case Pistache::Http::Method::Get:
      return "GET";
    case Pistache::Http::Method::Post:
      return "POST";
    case Pistache::Http::Method::Put:
      return "PUT";
    case Pistache::Http::Method::Delete:
      return "DELETE";
    case Pistache::Http::Method::Patch:
      return "PATCH";
    case Pistache::Http::Method::Head:
      return "HEAD";
    case Pistache::Http::Method::Options:
      return "OPTIONS";
    default:
      return "OTHER";
  }
}

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsLoopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1";
}

// An upstream request id is kept only if it cannot smuggle anything into logs.
bool UsableRequestId(const std::string& id) {
  if (id.size() < 8 || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

HttpRequest CopyRequest(const Pistache::Http::Request& in) {
  HttpRequest out;
  out.received_at = std::chrono::steady_clock::now();
  out.method = MethodName(in.method());
  out.path = in.resource();
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    out.query[PercentDecode(it->first)] = PercentDecode(it->second);
  }
  for (const auto& header : in.headers().list()) {
    std::ostringstream value;
    header->write(value);
    out.headers[Lowercase(header->name())] = value.str();
  }
  for (const auto& [name, raw] : in.headers().rawList()) {
    out.headers[Lowercase(name)] = raw.value();
  }
  out.body = in.body();
  const std::string peer = in.address().host();
  const std::string forwarded = out.Header("x-real-ip");
  // Only the local nginx may tell us the client's address.
  out.client_address = IsLoopback(peer) && !forwarded.empty() ? forwarded.substr(0, 64) : peer;
  const std::string upstream_id = out.Header("x-request-id");
  out.request_id =
      UsableRequestId(upstream_id) ? upstream_id : crypto::HexEncode(crypto::RandomBytes(16));
  return out;
}

// Pistache 0.0.5 writes only typed headers into responses (raw ones are dropped), so every
// header we send is one of these.
class NamedHeader : public Pistache::Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  uint64_t hash() const override { return Pistache::Http::Header::detail::hash(name_.c_str()); }
  void write(std::ostream& stream) const override { stream << value_; }

 private:
  std::string name_;
  std::string value_;
};

void AddHeader(ResponseWriter& writer, const std::string& name, const std::string& value) {
  writer.headers().add(std::make_shared<NamedHeader>(name, value));
}

void Send(ResponseWriter& writer, const HttpRequest& request, const HttpResponse& response) {
  // Defaults first unless the handler set them: Pistache keeps the first of repeated names.
  auto handler_set = [&](const char* name) {
    for (const auto& header : response.headers) {
      if (strcasecmp(header.first.c_str(), name) == 0) return true;
    }
    return false;
  };
  AddHeader(writer, "X-Request-Id", request.request_id);
  if (!handler_set("Cache-Control")) AddHeader(writer, "Cache-Control", "no-store");
  if (!handler_set("X-Content-Type-Options")) {
    AddHeader(writer, "X-Content-Type-Options", "nosniff");
  }
  for (const auto& [name, value] : response.headers) AddHeader(writer, name, value);
  const auto mime = Pistache::Http::Mime::MediaType::fromString(response.content_type);
  // The promise is dropped, never continued: we send from a worker thread, and Pistache 0.0.5
  // settles a chained promise on its reactor thread by walking its continuations without the
  // promise's lock, so a continuation attached here raced that walk. The HTTP corpus's random
  // phase crashed the server on it once in 16,000 requests (SEGV in asyncWriteImpl). A peer
  // that went away rejects the promise; there is no one left to tell either way.
  (void)writer.send(static_cast<Code>(response.status), response.body, mime);
}

void Finish(ServerState& state, ResponseWriter& writer, const HttpRequest& request,
            const std::string& route, const HttpResponse& response,
            std::optional<int64_t> user_id) {
  // Counted before the response leaves, so a client that reads /metrics right after its
  // answer always sees its own request counted.
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - request.received_at)
                           .count();
  state.app.metrics().RecordRequest(route, request.method, response.status, latency);
  Send(writer, request, response);
  nlohmann::json fields = {{"request_id", request.request_id},
                           {"method", request.method},
                           {"route", route},
                           {"status", response.status},
                           {"latency_us", latency}};
  fields["user_id"] = user_id ? nlohmann::json(*user_id) : nlohmann::json(nullptr);
  Log(LogLevel::kInfo, "request", std::move(fields));
}

class Handler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)

  explicit Handler(std::shared_ptr<ServerState> state) : state_(std::move(state)) {}

  void onRequest(const Pistache::Http::Request& raw, ResponseWriter writer) override {
    HttpRequest request;
    try {
      request = CopyRequest(raw);
      Dispatch(std::move(request), std::move(writer));
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "unhandled exception on reactor",
          {{"request_id", request.request_id}, {"error", e.what()}});
      Finish(*state_, writer, request, "unmatched",
             ErrorResponse(Status::Internal("unhandled exception")), std::nullopt);
    } catch (...) {
      Finish(*state_, writer, request, "unmatched",
             ErrorResponse(Status::Internal("unhandled exception")), std::nullopt);
    }
  }

 private:
  void Dispatch(HttpRequest request, ResponseWriter writer) {
    ServerState& state = *state_;
    const Config& config = state.app.config();
    RouteMatch match = state.app.router().Match(request.method, request.path);
    if (match.route == nullptr) {
      if (match.allowed_methods.empty()) {
        Finish(state, writer, request, "unmatched", RouteNotFoundResponse(), std::nullopt);
        return;
      }
      HttpResponse response = ErrorResponse(
          Status::InvalidArgument("", "method not allowed").WithReason("method_not_allowed"));
      response.status = 405;
      std::string allow;
      for (const std::string& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      response.headers.emplace_back("Allow", allow);
      Finish(state, writer, request, "unmatched", response, std::nullopt);
      return;
    }
    const Route& route = *match.route;
    const std::string route_name = route.method + " " + route.pattern;
    const size_t body_limit = route.max_body_bytes == 0
                                  ? config.max_json_body_bytes
                                  : std::min(route.max_body_bytes, config.max_upload_bytes);
    if (request.body.size() > body_limit) {
      Finish(state, writer, request, route_name,
             ErrorResponse(Status::TooLarge("request body is larger than " +
                                            std::to_string(body_limit) + " bytes")),
             std::nullopt);
      return;
    }
    std::any input;
    {
      std::optional<nlohmann::json> body;
      if (route.json_body) {
        StatusOr<nlohmann::json> parsed = ParseJsonObject(request.body);
        if (!parsed.ok()) {
          Finish(state, writer, request, route_name, ErrorResponse(parsed.status()), std::nullopt);
          return;
        }
        body = std::move(parsed).value();
      }
      if (route.parse) {
        StatusOr<std::any> parsed = route.parse(request, body ? &*body : nullptr);
        if (!parsed.ok()) {
          Finish(state, writer, request, route_name, ErrorResponse(parsed.status()), std::nullopt);
          return;
        }
        input = std::move(parsed).value();
      }
    }
    if (!state.accepting.load()) {
      Finish(state, writer, request, route_name,
             ErrorResponse(Status::Unavailable("the server is shutting down", 5)), std::nullopt);
      return;
    }
    auto shared_writer = std::make_shared<ResponseWriter>(std::move(writer));
    auto shared_request = std::make_shared<HttpRequest>(std::move(request));
    auto params = std::make_shared<std::map<std::string, std::string>>(std::move(match.params));
    auto shared_input = std::make_shared<std::any>(std::move(input));
    std::shared_ptr<ServerState> keep = state_;
    const bool queued = state.pool.TrySubmit(
        [keep, shared_writer, shared_request, params, shared_input, &route, route_name] {
          ExecutionOutcome outcome;
          HttpResponse response;
          try {
            response =
                ExecuteRequest(keep->app, *shared_request, route, *params, *shared_input, &outcome);
          } catch (const std::exception& e) {
            Log(LogLevel::kError, "unhandled exception in handler",
                {{"request_id", shared_request->request_id}, {"error", e.what()}});
            response = ErrorResponse(Status::Internal("unhandled exception"));
          } catch (...) {
            response = ErrorResponse(Status::Internal("unhandled exception"));
          }
          try {
            Finish(*keep, *shared_writer, *shared_request, route_name, response, outcome.user_id);
          } catch (...) {
            // The connection is gone; nothing more can be done for this request.
          }
        });
    if (!queued) {
      Finish(state, *shared_writer, *shared_request, route_name,
             ErrorResponse(Status::Unavailable("the server is busy; retry shortly", 1)),
             std::nullopt);
    }
  }

  std::shared_ptr<ServerState> state_;
};

}  // namespace

HttpServer::HttpServer(App& app) : app_(app) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  const Config& config = app_.config();
  state_ = std::make_shared<ServerState>(app_, config.worker_threads,
                                         static_cast<size_t>(config.worker_queue_limit));
  try {
    Pistache::Address address(config.listen_address,
                              Pistache::Port(static_cast<uint16_t>(config.backend_port)));
    endpoint_ = std::make_unique<Pistache::Http::Endpoint>(address);
    // Pistache counts headers and body against maxRequestSize; the body limit proper is ours,
    // checked with a JSON error, so Pistache's bound sits above it.
    auto options =
        Pistache::Http::Endpoint::options()
            .threads(config.http_threads)
            .flags(Pistache::Tcp::Options::ReuseAddr)
            .maxRequestSize(std::max(config.max_json_body_bytes, config.max_upload_bytes) +
                            64 * 1024)
            .maxResponseSize(64 << 20)
            .headerTimeout(std::chrono::milliseconds(config.header_timeout_ms))
            .bodyTimeout(std::chrono::milliseconds(config.body_timeout_ms));
    endpoint_->init(options);
    endpoint_->setHandler(std::make_shared<Handler>(state_));
    if (!config.tls_cert.empty()) endpoint_->useSSL(config.tls_cert, config.tls_key);
    endpoint_->serveThreaded();
  } catch (const std::exception& e) {
    endpoint_.reset();
    return Status::Unavailable(std::string("cannot listen on ") + config.listen_address + ":" +
                               std::to_string(config.backend_port) + ": " + e.what());
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!state_) return;
  state_->accepting = false;
  state_->pool.Shutdown();  // before Pistache: its shutdown does not wait for our handlers
  if (endpoint_) {
    endpoint_->shutdown();
    endpoint_.reset();
  }
  state_.reset();
}

}  // namespace restitution

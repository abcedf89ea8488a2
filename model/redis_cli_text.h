// How redis-cli prints a reply when its output is not a terminal.
//
// redis-cli switches to raw output when stdout is not a TTY (its default
// OUTPUT_RAW mode): cliFormatReplyRaw, then the command delimiter "\n". In raw
// form: status and bulk strings as they are, integers in decimal, nil as
// nothing, an error as its text plus "\n" (no "(error) " prefix), and an array
// as its elements' raw forms joined by "\n" (so an empty array is empty, and a
// nested empty array shows as an empty line).
//
// The measured files under real-redis-7.0/formats/*.redis-cli.txt were captured
// this way, so RedisCliOutput(reply) is what a test compares with them.
//
// Exception: for a few commands (INFO, CLUSTER NODES, CLUSTER INFO, CLIENT
// LIST, ...) redis-cli prints the raw reply with no delimiter after it
// (cliSendCommand's output_raw), so their captured files are exactly the bulk
// text: compare those with RedisCliRaw(reply).
//
// Replies are RESP2 here (Reply has no map type); RESP2 sends a map as a flat
// array of key, value, key, value, which is what these functions render.

#ifndef SLOTSIM_MODEL_REDIS_CLI_TEXT_H_
#define SLOTSIM_MODEL_REDIS_CLI_TEXT_H_

#include <string>

#include "model/reply.h"

namespace slotsim::model {

// cliFormatReplyRaw.
std::string RedisCliRaw(const Reply& reply);

// What `redis-cli CMD > file` writes: RedisCliRaw(reply) + "\n".
std::string RedisCliOutput(const Reply& reply);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_REDIS_CLI_TEXT_H_

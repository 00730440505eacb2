import ArgumentParser

extension MorphCommand {
    /// `morph manual`: the man page (`make install` writes it to share/man/man1/morph.1).
    struct Manual: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the manual page (roff) with every subcommand's help.", shouldDisplay: false)

        func run() throws {
            print(Manual.page(for: MorphCommand.self, version: MorphCommand.version))
        }

        /// A man page for `root`: its help, then each subcommand's (depth first), as preformatted text.
        static func page(for root: ParsableCommand.Type, version: String) -> String {
            var sections = [String]()
            func visit(_ command: ParsableCommand.Type, path: [String]) {
                let configuration = command.configuration
                guard configuration.shouldDisplay else { return }
                let name = path.joined(separator: " ")
                let help = root.helpMessage(for: command, columns: 78)
                sections.append(".SS \"\(escape(name))\"\n.nf\n\(escape(help))\n.fi")
                for sub in configuration.subcommands {
                    visit(sub, path: path + [sub.configuration.commandName ?? sub._commandName])
                }
            }
            for sub in root.configuration.subcommands { visit(sub, path: ["morph", sub.configuration.commandName ?? sub._commandName]) }
            let name = root.configuration.commandName ?? "morph"
            return """
                .TH \(name.uppercased()) 1 "" "\(name) \(version)" "User Commands"
                .SH NAME
                \(name) \\- \(escape(root.configuration.abstract))
                .SH DESCRIPTION
                .nf
                \(escape(root.helpMessage(columns: 78)))
                .fi
                .SH COMMANDS
                \(sections.joined(separator: "\n"))
                """
        }

        /// Text made safe for roff: backslashes doubled, a leading dot or quote escaped on each line.
        static func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\e").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") || $0.hasPrefix("'") ? "\\&" + $0 : String($0) }.joined(separator: "\n")
        }
    }
}

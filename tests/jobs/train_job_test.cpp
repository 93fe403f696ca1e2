#include "archml/jobs/train_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "archml/core/text_file.h"
#include "archml/data/csv_reader.h"
#include "archml/model/predictor.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

class TrainJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("archml-train-job-" + std::to_string(::getpid()));
    fs::create_directories(directory_);
    std::mt19937_64 random(5);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::ofstream csv(directory_ / "data.csv");
    csv << "id,amount,kind,note,label\n";
    for (int i = 0; i < 3000; ++i) {
      const double amount = uniform(random) * 1000;
      const bool transfer = uniform(random) < 0.3;
      const bool label = uniform(random) < (transfer && amount > 600 ? 0.6 : 0.03);
      csv << "C" << i * 7919 << ',' << amount << ',' << (transfer ? "TRANSFER" : "PAYMENT")
          << ",\"free, text " << i << "\"," << label << '\n';
    }
    csv.close();
    std::ofstream recipe(directory_ / "recipe.yaml");
    recipe << "steps:\n  - drop: [id, note]\n  - one_hot: {columns: [kind]}\n";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  TrainJobOptions options(const std::string& out) const {
    TrainJobOptions options;
    options.data_file = (directory_ / "data.csv").string();
    options.target = "label";
    options.recipe_file = (directory_ / "recipe.yaml").string();
    options.hyperparameters = {"num_round=8", "max_depth=3", "nthread=1"};
    options.out_dir = directory_ / out;
    return options;
  }

  fs::path directory_;
};

// A recipe's job reads only the columns the recipe uses; the model must be exactly the
// one trained on every column.
TEST_F(TrainJobTest, ReadingOnlyTheRecipesColumnsTrainsTheSameModel) {
  const TrainJobResult projected = run_train_job(JobContext{}, options("projected"));
  TrainJobOptions everything = options("everything");
  everything.csv.columns = {"id", "amount", "kind", "note", "label"};
  const TrainJobResult full = run_train_job(JobContext{}, everything);

  EXPECT_EQ(projected.features, full.features);
  EXPECT_EQ(projected.test_metrics, full.test_metrics);
  EXPECT_EQ(core::read_text_file(projected.bundle_dir / "model.json", "model"),
            core::read_text_file(full.bundle_dir / "model.json", "model"));
  // Raw rows with every column (the dropped ones too) score the same through both.
  const data::Table rows = data::read_csv((directory_ / "data.csv").string());
  const auto projected_scores = model::Predictor::load(projected.out_dir).predict(rows).scores;
  EXPECT_EQ(projected_scores, model::Predictor::load(full.out_dir).predict(rows).scores);
  EXPECT_EQ(projected_scores.size(), 3000u);
}

// A job's thread count is its context's alone: two jobs of one process with contexts
// side by side train with their own (nthread 0 takes the context's), and the same model.
TEST_F(TrainJobTest, EachJobTrainsWithItsOwnContextsThreads) {
  JobContext one;
  one.threads = 1;
  JobContext three;
  three.threads = 3;
  TrainJobOptions single = options("one");
  single.hyperparameters = {"num_round=8", "max_depth=3"};
  TrainJobOptions triple = single;
  triple.out_dir = directory_ / "three";
  const TrainJobResult first = run_train_job(one, single);
  const TrainJobResult second = run_train_job(three, triple);
  EXPECT_EQ(first.metadata.hyperparameters.at("nthread"), 1);
  EXPECT_EQ(second.metadata.hyperparameters.at("nthread"), 3);
  EXPECT_EQ(run_train_job(one, single).metadata.hyperparameters.at("nthread"), 1);
  EXPECT_EQ(core::read_text_file(first.bundle_dir / "model.json", "model"),
            core::read_text_file(second.bundle_dir / "model.json", "model"));
}

}  // namespace
}  // namespace archml::jobs
